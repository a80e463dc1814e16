/// Version 1 of `erp.article`, still read: every price is excluding tax (`base_price_excl_tax`
/// and each row's `price_excl_tax` required). Version 2 made those fields optional, which
/// the compatibility rule counts as breaking, hence a new version rather than an edit.
/// A `PreviousVersion`: readers take `article` and handle one type.
public struct ERPArticleV1: PreviousVersion {
    /// Version 1.
    public static let schemaVersion = 1
    /// What the message means, in version 1.
    public static let summary = "An article as the ERP holds it, sent whole on every change; prices excluding tax (version 1, still read)."
    /// The version-1 shape: prices excluding tax, required.
    public static let schema = ERPArticle.shape(version: 1)

    /// The message, as the current version holds it.
    public var article: ERPArticle
    /// `article`.
    public var current: ERPArticle { article }

    /// The version-1 message of `article`.
    public init(_ article: ERPArticle) {
        self.article = article
    }
}
