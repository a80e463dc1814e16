/// Version 1 of `bus.order-query`, still read: the hold reasons of
/// `shop.order-acceptance` v2. Version 2 added `credit_limit_exceeded`, which the
/// compatibility rule counts as breaking, hence a new version rather than an edit.
/// A `PreviousVersion`: readers take `query` and handle one type.
public struct OrderQueryV1: PreviousVersion {
    /// Version 1.
    public static let schemaVersion = 1
    /// What the message means, in version 1.
    public static let summary = OrderQuery.summary + " (version 1, still read)"
    /// The version-1 shape.
    public static let schema = OrderQuery.shape(version: 1)

    /// The message, as the current version holds it.
    public var query: OrderQuery
    /// `query`.
    public var current: OrderQuery { query }

    /// The version-1 message of `query`.
    public init(_ query: OrderQuery) {
        self.query = query
    }
}
