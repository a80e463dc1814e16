import BusSchema

/// Whether an article goes online.
///
/// An article is selected when it is active, web-enabled, in a configured family (or any
/// family when none is configured), has a short label in the default language and a price
/// above zero. The first rule it breaks, in that order, is the reason it is not selected.
public enum ArticleSelection: Equatable, Sendable {
    /// Every rule holds: the article goes online.
    case selected
    /// A rule does not hold: the article stays off the site (and leaves it if it was on).
    case rejected(SelectionFailure)

    /// Judges `article` against `rules`.
    public static func judge(_ article: ERPArticle, rules: ArticlePublisherRules) -> ArticleSelection {
        if article.status != .active { return .rejected(.notActive) }
        if !article.webEnabled { return .rejected(.notWebEnabled) }
        if !rules.families.isEmpty, !rules.families.contains(article.family) { return .rejected(.familyNotSelected) }
        guard let language = rules.defaultLanguageCode, let label = article.shortLabels[language], !label.isBlank else {
            return .rejected(.noLabelInDefaultLanguage)
        }
        if (article.basePrice?.amount.amount ?? 0) <= 0 { return .rejected(.noPrice) }
        return .selected
    }
}

/// Why an article is not selected.
public enum SelectionFailure: String, Sendable, Equatable, CaseIterable {
    /// The ERP made it obsolete.
    case notActive = "not_active"
    /// The ERP does not allow it on the web.
    case notWebEnabled = "not_web_enabled"
    /// Its family is not in the configured set.
    case familyNotSelected = "family_not_selected"
    /// It has no short label (or a blank one) in the default language.
    case noLabelInDefaultLanguage = "no_label_in_default_language"
    /// Its public price is zero.
    case noPrice = "no_price"

    /// The reason a catalog unpublish gives the site. `shop.catalog-unpublish` knows only
    /// obsolete, web-disabled and deleted articles, so every loss of qualification other
    /// than obsolescence reads as "no longer allowed on the web".
    public var unpublishReason: UnpublishReason {
        self == .notActive ? .obsolete : .webDisabled
    }
}

extension String {
    /// Empty or only white space: a label the site cannot show.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
