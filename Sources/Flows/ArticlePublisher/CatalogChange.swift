import BusSchema

/// What the site must be told about one article after an ERP change: the differential rule.
///
/// Guarantees: a selected article is published when the site shows nothing for it yet or
/// shows something else (any field of the entry but its date); an article that stops being
/// selected is unpublished once, and only if the site shows it; anything else changes nothing.
/// So a redelivered article, an echo, or a change to a field the site does not show (weight,
/// a web-disabled variant's barcode) produces no output.
public enum CatalogChange: Equatable, Sendable {
    /// Nothing the site shows changes.
    case none
    /// Send this entry; it becomes what the site shows.
    case publish(CatalogEntry)
    /// Take the article off the site.
    case unpublish(CatalogUnpublish)

    /// The change for `article`, given the entry the site shows now (nil: none).
    public static func next(for article: ERPArticle, shown: CatalogEntry?, rules: ArticlePublisherRules) throws(FlowRejection) -> CatalogChange {
        switch ArticleSelection.judge(article, rules: rules) {
        case .selected:
            let entry = try CatalogMapping.entry(for: article, rules: rules)
            if let shown, sameOnSite(shown, entry) { return .none }
            return .publish(entry)
        case .rejected(let failure):
            guard shown != nil else { return .none }
            return .unpublish(CatalogUnpublish(sku: article.sku, reason: failure.unpublishReason, unpublishedAt: article.updatedAt))
        }
    }

    /// Whether two entries show the same thing: equal but for their publication date.
    static func sameOnSite(_ a: CatalogEntry, _ b: CatalogEntry) -> Bool {
        var dated = b
        dated.publishedAt = a.publishedAt
        return a == dated
    }
}
