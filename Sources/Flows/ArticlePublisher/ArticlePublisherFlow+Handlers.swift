import BusSchema

extension ArticlePublisherFlow {
    /// ERP articles, keyed by SKU.
    public var handlers: [FlowHandler] { [FlowHandler(Topics.erpArticles, ERPArticle.self)] }

    /// The site's catalogue: entries and unpublications.
    public var writes: [TopicMessage] {
        [TopicMessage(Topics.shopCatalog, CatalogEntry.self), TopicMessage(Topics.shopCatalog, CatalogUnpublish.self)]
    }
}
