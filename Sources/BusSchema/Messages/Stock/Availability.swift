/// What the site shows about a SKU's availability, from stock-broadcaster (topic `shop.availability`, key: the SKU).
/// Published only when the status, quantity or date shown changes.
public struct Availability: BusMessage {
    /// "shop.availability".
    public static let messageType = "shop.availability"
    /// Version 1.
    public static let schemaVersion = 1
    /// What the site shows about a SKU's availability.
    public static let summary = "What the site shows about a SKU's availability."

    /// The SKU; the record key.
    public var sku: SKU
    /// in_stock, limited (few left) or out_of_stock.
    public var status: AvailabilityStatus
    /// The sellable quantity over all warehouses, when the site may show it.
    public var quantity: Quantity?
    /// When more is expected, if known.
    public var nextAvailableOn: LocalDate?
    /// When the stock figures this is computed from were measured.
    public var updatedAt: Instant
    /// True when none is available but the article may be ordered now and shipped later: the site shows "on order" (status out_of_stock); absent: not on order.
    public var onOrder: Bool?

    /// A value with every field given; optional fields default to absent.
    public init(
        sku: SKU,
        status: AvailabilityStatus,
        quantity: Quantity? = nil,
        nextAvailableOn: LocalDate? = nil,
        updatedAt: Instant,
        onOrder: Bool? = nil
    ) {
        self.sku = sku
        self.status = status
        self.quantity = quantity
        self.nextAvailableOn = nextAvailableOn
        self.updatedAt = updatedAt
        self.onOrder = onOrder
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case status
        case quantity
        case nextAvailableOn = "next_available_on"
        case updatedAt = "updated_at"
        case onOrder = "on_order"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("sku", .ref(.sku), "The SKU; the record key."),
        .required("status", .oneOf(AvailabilityStatus.self), "in_stock, limited (few left) or out_of_stock."),
        .optional("quantity", .nonNegativeQuantity, "The sellable quantity over all warehouses, when the site may show it."),
        .optional("next_available_on", .date, "When more is expected, if known."),
        .required("updated_at", .instant, "When the stock figures this is computed from were measured."),
        .optional("on_order", .boolean, "True when none is available but the article may be ordered now and shipped later: the site shows \"on order\" (status out_of_stock); absent: not on order.")
    )

    /// The quantity agrees with the status: zero when out of stock, more than zero otherwise; only an out-of-stock article is on order.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        if let quantity {
            let zero = quantity.value.isZero
            check.expect(status == .outOfStock ? zero : !zero, root.key("quantity"),
                         .inconsistent(rule: "quantity is 0 exactly when status is out_of_stock"))
        }
        if onOrder == true {
            check.expect(status == .outOfStock, root.key("on_order"), .inconsistent(rule: "on_order is only for status out_of_stock"))
        }
        return check.problems
    }
}

/// Availability shown to customers.
public enum AvailabilityStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Available.
    case inStock = "in_stock"
    /// Only a few left.
    case limited
    /// Not available now.
    case outOfStock = "out_of_stock"
}
