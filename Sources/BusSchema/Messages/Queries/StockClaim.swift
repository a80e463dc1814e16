/// What one order seen by the bus holds of a SKU until the ERP reserves it (topic
/// `bus.stock-claims`, key: the SKU), from order-ingest; stock-broadcaster subtracts the open
/// claims from the availability it answers. A quantity of zero releases the claim (the ERP
/// took the order, or it was cancelled).
public struct StockClaim: BusMessage {
    /// "bus.stock-claim".
    public static let messageType = "bus.stock-claim"
    /// Version 1.
    public static let schemaVersion = 1
    /// What an order in flight holds of a SKU until the ERP reserves it.
    public static let summary = "What an order seen by the bus holds of a SKU until the ERP reserves it; zero releases it."

    /// The SKU; the record key.
    public var sku: SKU
    /// The site order holding it.
    public var orderNumber: OrderNumber
    /// How much it holds; zero releases the claim.
    public var quantity: Quantity
    /// When the order (or its release) happened.
    public var claimedAt: Instant

    /// A value with every field given.
    public init(sku: SKU, orderNumber: OrderNumber, quantity: Quantity, claimedAt: Instant) {
        self.sku = sku
        self.orderNumber = orderNumber
        self.quantity = quantity
        self.claimedAt = claimedAt
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case orderNumber = "order_number"
        case quantity
        case claimedAt = "claimed_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("sku", .ref(.sku), "The SKU; the record key."),
        .required("order_number", .ref(.orderNumber), "The site order holding it."),
        .required("quantity", .nonNegativeQuantity, "How much it holds; zero releases the claim."),
        .required("claimed_at", .instant, "When the order (or its release) happened.")
    )
}
