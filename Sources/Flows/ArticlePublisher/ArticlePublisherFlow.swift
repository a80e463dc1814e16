import BusSchema

/// article-publisher: ERP articles in, the site's catalogue out (`shop.catalog`, keyed by SKU).
///
/// State per SKU: the catalog entry the site shows now, absent when it shows none. That is
/// all the differential rule needs, and what a resync re-publishes. Redelivery is harmless:
/// once the state holds an article's entry, the same article again changes nothing.
public struct ArticlePublisherFlow: Flow {
    /// The entry last published for a SKU.
    public typealias State = CatalogEntry

    /// "article-publisher".
    public let name = WorkerName.articlePublisher.rawValue
    /// `erp.articles`, keyed by SKU.
    public let inputs = [Topics.erpArticles]
    /// The rules this instance applies.
    public let rules: ArticlePublisherRules

    /// The flow with `rules`.
    public init(rules: ArticlePublisherRules = .defaults) {
        self.rules = rules
    }

    /// Publishes, re-publishes or unpublishes the article, or does nothing (see `CatalogChange`).
    /// Refuses a message that is not an article (the runtime has checked that the record key is its SKU).
    public func handle(_ input: FlowInput, state: inout FlowState<CatalogEntry>, tables: any TableLookup) throws -> [FlowOutput] {
        // Version 1 (prices excluding tax) is still read, and means the same as version 2.
        guard let article = input.message(as: ERPArticle.self) ?? input.message(as: ERPArticleV1.self)?.article else {
            throw FlowRejection(field: nil, reason: "\(Topics.erpArticles) carries \(ERPArticle.messageType) messages only, not \(input.envelope.type)")
        }
        let key = article.sku.rawValue
        switch try CatalogChange.next(for: article, shown: state[key], rules: rules) {
        case .none:
            return []
        case .publish(let entry):
            state[key] = entry
            return [FlowOutput(topic: Topics.shopCatalog, key: key, message: entry)]
        case .unpublish(let unpublish):
            // Nothing is shown any more, and a later unselected version must not unpublish
            // again: forgetting the key says both.
            state[key] = nil
            return [FlowOutput(topic: Topics.shopCatalog, key: key, message: unpublish)]
        }
    }

    /// A resync re-publishes every entry the state says the site shows (or those of the SKUs
    /// asked for), in SKU order.
    public func control(_ request: FlowControl, state: inout FlowState<CatalogEntry>, tables: any TableLookup) -> [FlowOutput] {
        switch request {
        case .resync(let keys):
            return Self.republish(state: state, keys: keys)
        }
    }

    /// The entries the state holds for `keys` (every key when nil), in SKU order, as outputs.
    /// SKUs the site does not show are skipped: there is nothing to re-publish for them.
    public static func republish(state: FlowState<CatalogEntry>, keys: [String]?) -> [FlowOutput] {
        let wanted = keys.map { Set($0).sorted() } ?? state.keys
        return wanted.compactMap { key in
            state[key].map { FlowOutput(topic: Topics.shopCatalog, key: key, message: $0) }
        }
    }
}
