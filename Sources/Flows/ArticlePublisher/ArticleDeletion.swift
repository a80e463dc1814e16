import BusSchema

/// An article deleted in the ERP (a tombstone on `erp.articles`): the site unpublishes it
/// (`deleted_in_erp`) and the flow forgets its entry, so its state ends with the article.
extension ArticlePublisherFlow {
    /// Tombstones on `erp.articles` are deletions.
    public var readsDeletions: Bool { true }

    /// Unpublishes a shown article and forgets it; an article the site does not show is
    /// forgotten already, and produces nothing.
    public func deleted(key: String, topic: String, cause: Envelope, state: inout FlowState<CatalogEntry>, tables: any TableLookup) throws -> [FlowOutput] {
        guard state[key] != nil else { return [] }
        state[key] = nil
        return [FlowOutput(topic: Topics.shopCatalog, key: key, message: CatalogUnpublish(sku: SKU(key), reason: .deletedInErp, unpublishedAt: cause.time))]
    }
}
