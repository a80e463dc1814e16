/// Version 2 of `shop.order-acceptance`, still read: every status of version 3, with the
/// reasons version 2 knew. Version 3 added the reason `credit_limit_exceeded`, which the
/// compatibility rule counts as breaking, hence a new version rather than an edit.
/// A `PreviousVersion`: readers take `acceptance` and handle one type.
public struct OrderAcceptanceV2: PreviousVersion {
    /// Version 2.
    public static let schemaVersion = 2
    /// What the message means, in version 2.
    public static let summary = "Whether the bus accepted an order for the ERP (version 2, still read)."
    /// The version-2 shape.
    public static let schema = OrderAcceptance.shape(version: 2)

    /// The message, as the current version holds it.
    public var acceptance: OrderAcceptance
    /// `acceptance`.
    public var current: OrderAcceptance { acceptance }

    /// The version-2 message of `acceptance`.
    public init(_ acceptance: OrderAcceptance) {
        self.acceptance = acceptance
    }
}
