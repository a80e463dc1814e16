/// An operator's decision on an order the bus has not sent to the ERP (topic `bus.control`,
/// key: the worker name `order-ingest`; `bus orders release|cancel`): release a held order to
/// the ERP as it is, or cancel it. order-ingest answers on `bus.control-replies` with an
/// `OrderCommandOutcome` under the same correlation id.
///
/// Idempotent: the order's record keeps every decision (who, why, when, command id), so the
/// same command again, or another release of an order already released, changes nothing.
public struct OrderCommand: BusMessage {
    /// "bus.order-command".
    public static let messageType = "bus.order-command"
    /// Version 1.
    public static let schemaVersion = 1
    /// An operator's release or cancellation of an order the bus holds.
    public static let summary = "An operator's release or cancellation of an order the bus holds (bus orders release|cancel)."

    /// The command's id; each is acted on once.
    public var commandID: EventID
    /// The order.
    public var orderNumber: OrderNumber
    /// release or cancel.
    public var action: OrderCommandAction
    /// The operator, for the audit trail (a login, not a person's name or address).
    public var requestedBy: String
    /// Why, for the audit trail.
    public var reason: String
    /// When it was asked.
    public var requestedAt: Instant

    /// A value with every field given.
    public init(commandID: EventID, orderNumber: OrderNumber, action: OrderCommandAction, requestedBy: String, reason: String, requestedAt: Instant) {
        self.commandID = commandID
        self.orderNumber = orderNumber
        self.action = action
        self.requestedBy = requestedBy
        self.reason = reason
        self.requestedAt = requestedAt
    }

    private enum CodingKeys: String, CodingKey {
        case commandID = "command_id"
        case orderNumber = "order_number"
        case action
        case requestedBy = "requested_by"
        case reason
        case requestedAt = "requested_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("command_id", .ref(.eventID), "The command's id; each is acted on once."),
        .required("order_number", .ref(.orderNumber), "The order."),
        .required("action", .oneOf(OrderCommandAction.self), "release (send it to the ERP as it is) or cancel."),
        .required("requested_by", .text(maximumLength: 100), "The operator, for the audit trail."),
        .required("reason", .text(maximumLength: 500), "Why, for the audit trail."),
        .required("requested_at", .instant, "When it was asked.")
    )
}

/// What an operator decides about an order the bus holds.
public enum OrderCommandAction: String, Codable, Sendable, Hashable, CaseIterable {
    /// Send it to the ERP as it is: the reasons it is held are overridden.
    case release
    /// Cancel it: it never reaches the ERP.
    case cancel
}
