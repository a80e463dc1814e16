/// A parcel or delivery leaving the warehouse.
public struct Shipment: Codable, Sendable, Hashable {
    /// The ERP's shipment id, unique per order.
    public var shipmentID: EventID
    /// The carrier code (colissimo, dhl, ups, ...).
    public var carrier: Code
    /// The carrier's tracking number, when there is one.
    public var trackingNumber: String?
    /// The carrier's tracking page.
    public var trackingURL: String?
    /// When it left the warehouse.
    public var shippedAt: Instant
    /// The order lines and quantities in it.
    public var lines: [OrderLineQuantity]

    /// A value with every field given; optional fields default to absent.
    public init(
        shipmentID: EventID,
        carrier: Code,
        trackingNumber: String? = nil,
        trackingURL: String? = nil,
        shippedAt: Instant,
        lines: [OrderLineQuantity]
    ) {
        self.shipmentID = shipmentID
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.trackingURL = trackingURL
        self.shippedAt = shippedAt
        self.lines = lines
    }

    private enum CodingKeys: String, CodingKey {
        case shipmentID = "shipment_id"
        case carrier
        case trackingNumber = "tracking_number"
        case trackingURL = "tracking_url"
        case shippedAt = "shipped_at"
        case lines
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("shipment_id", .ref(.eventID), "The ERP's shipment id, unique per order."),
        .required("carrier", .ref(.code), "The carrier code (colissimo, dhl, ups, ...)."),
        .optional("tracking_number", .string(StringRule(maximumLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9 -]{0,63}$", patternName: "a tracking number", screensCardNumbers: false)), "The carrier's tracking number, when there is one."),
        .optional("tracking_url", .ref(.url), "The carrier's tracking page."),
        .required("shipped_at", .instant, "When it left the warehouse."),
        .required("lines", .list(OrderLineQuantity.schema, minimumCount: 1), "The order lines and quantities in it.")
    )
}
