/// Version 1 of `shop.order-acceptance`, still read: accepted, held or refused, with the
/// reasons version 1 knew. Version 2 added statuses and a reason, which the compatibility
/// rule counts as breaking, hence a new version rather than an edit.
///
/// A version-1 shape around the version-2 value, as `ERPArticleV1` is: readers take
/// `acceptance` and handle one type.
public struct OrderAcceptanceV1: BusMessage {
    /// "shop.order-acceptance".
    public static let messageType = OrderAcceptance.messageType
    /// Version 1.
    public static let schemaVersion = 1
    /// Whether the bus accepted an order for the ERP (version 1, still read).
    public static let summary = "Whether the bus accepted an order for the ERP (version 1, still read)."

    /// The acceptance, as version 2 holds it.
    public var acceptance: OrderAcceptance

    /// The version-1 message of `acceptance` (whose status and reasons version 1 must know).
    public init(_ acceptance: OrderAcceptance) {
        self.acceptance = acceptance
    }

    /// Reads the version-1 JSON, which is a version-2 acceptance without the new values.
    public init(from decoder: any Decoder) throws {
        acceptance = try OrderAcceptance(from: decoder)
    }

    /// Writes the acceptance's fields, as version 1 has them.
    public func encode(to encoder: any Encoder) throws {
        try acceptance.encode(to: encoder)
    }

    /// The version-1 shape.
    public static let schema = OrderAcceptance.shape(version: 1)

    /// The acceptance's rules (`OrderAcceptance.validate()`).
    public func validate() -> [ValidationProblem] { acceptance.validate() }
}
