/// Version 1 of `erp.article`, still read: every price is excluding tax (`base_price_excl_tax`
/// and each row's `price_excl_tax` required). Version 2 made those fields optional, which
/// the compatibility rule counts as breaking, hence a new version rather than an edit.
///
/// It is a version-1 shape around the version-2 value: readers take `article` and handle one
/// type, and a version-1 message re-encodes to the same bytes.
public struct ERPArticleV1: BusMessage {
    /// "erp.article".
    public static let messageType = ERPArticle.messageType
    /// Version 1.
    public static let schemaVersion = 1
    /// An article as the ERP holds it, prices excluding tax (version 1).
    public static let summary = "An article as the ERP holds it, sent whole on every change; prices excluding tax (version 1, still read)."

    /// The article, as version 2 holds it.
    public var article: ERPArticle

    /// The version-1 message of `article` (whose prices must be the excluding-tax ones).
    public init(_ article: ERPArticle) {
        self.article = article
    }

    /// Reads the version-1 JSON, which is a version-2 article with excluding-tax prices.
    public init(from decoder: any Decoder) throws {
        article = try ERPArticle(from: decoder)
    }

    /// Writes the article's fields, as version 1 has them.
    public func encode(to encoder: any Encoder) throws {
        try article.encode(to: encoder)
    }

    /// The version-1 shape: prices excluding tax, required.
    public static let schema = ERPArticle.shape(version: 1)

    /// The article's rules (`ERPArticle.validate()`).
    public func validate() -> [ValidationProblem] { article.validate() }
}
