/// Version 1 of `shop.order-acceptance`, still read: accepted, held or refused, with the
/// reasons version 1 knew. Version 2 added statuses and a reason, which the compatibility
/// rule counts as breaking, hence a new version rather than an edit.
/// A `PreviousVersion`: readers take `acceptance` and handle one type.
public struct OrderAcceptanceV1: PreviousVersion {
    /// Version 1.
    public static let schemaVersion = 1
    /// What the message means, in version 1.
    public static let summary = "Whether the bus accepted an order for the ERP (version 1, still read)."
    /// The version-1 shape.
    public static let schema = OrderAcceptance.shape(version: 1)

    /// The message, as the current version holds it.
    public var acceptance: OrderAcceptance
    /// `acceptance`.
    public var current: OrderAcceptance { acceptance }

    /// The version-1 message of `acceptance`.
    public init(_ acceptance: OrderAcceptance) {
        self.acceptance = acceptance
    }
}
