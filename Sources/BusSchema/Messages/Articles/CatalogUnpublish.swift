/// Takes an article off the site, from article-publisher (topic `shop.catalog`, key: the SKU).
/// It replaces the catalog entry under the same key, so a compacted topic keeps the reason.
public struct CatalogUnpublish: BusMessage {
    /// "shop.catalog-unpublish".
    public static let messageType = "shop.catalog-unpublish"
    /// Version 1.
    public static let schemaVersion = 1
    /// Takes an article off the site.
    public static let summary = "Takes an article off the site."

    /// The SKU to take off; the record key.
    public var sku: SKU
    /// Why it is taken off.
    public var reason: UnpublishReason
    /// When it was decided.
    public var unpublishedAt: Instant

    /// A value with every field given.
    public init(sku: SKU, reason: UnpublishReason, unpublishedAt: Instant) {
        self.sku = sku
        self.reason = reason
        self.unpublishedAt = unpublishedAt
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case reason
        case unpublishedAt = "unpublished_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("sku", .ref(.sku), "The SKU to take off; the record key."),
        .required("reason", .oneOf(UnpublishReason.self), "Why it is taken off."),
        .required("unpublished_at", .instant, "When it was decided.")
    )
}

/// Why an article leaves the site.
public enum UnpublishReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// The ERP made it obsolete.
    case obsolete
    /// The ERP no longer allows it on the web.
    case webDisabled = "web_disabled"
    /// It was deleted in the ERP.
    case deletedInErp = "deleted_in_erp"
}
