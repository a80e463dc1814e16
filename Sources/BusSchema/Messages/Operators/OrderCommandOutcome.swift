/// order-ingest's answer to an `OrderCommand` (topic `bus.control-replies`, key: the
/// command's record key; `ce_correlationid`: the command's).
public struct OrderCommandOutcome: BusMessage {
    /// "bus.order-command-outcome".
    public static let messageType = "bus.order-command-outcome"
    /// Version 1.
    public static let schemaVersion = 1
    /// What became of an operator's release or cancellation.
    public static let summary = "What became of an operator's release or cancellation of an order (same correlation id as the command)."

    /// The command answered.
    public var commandID: EventID
    /// The order.
    public var orderNumber: OrderNumber
    /// What was asked.
    public var action: OrderCommandAction
    /// done, already_done, refused or unknown_order.
    public var outcome: OrderCommandResult
    /// Where the order stands now (held, awaiting_payment, scheduled, sent, cancelled, refused).
    public var stage: String?
    /// A sentence for the operator: what happened, or why not.
    public var message: String
    /// When the bus answered.
    public var answeredAt: Instant

    /// A value with every field given; the stage defaults to absent (an unknown order).
    public init(commandID: EventID, orderNumber: OrderNumber, action: OrderCommandAction, outcome: OrderCommandResult,
                stage: String? = nil, message: String, answeredAt: Instant) {
        self.commandID = commandID
        self.orderNumber = orderNumber
        self.action = action
        self.outcome = outcome
        self.stage = stage
        self.message = message
        self.answeredAt = answeredAt
    }

    private enum CodingKeys: String, CodingKey {
        case commandID = "command_id"
        case orderNumber = "order_number"
        case action, outcome, stage, message
        case answeredAt = "answered_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("command_id", .ref(.eventID), "The command answered."),
        .required("order_number", .ref(.orderNumber), "The order."),
        .required("action", .oneOf(OrderCommandAction.self), "What was asked."),
        .required("outcome", .oneOf(OrderCommandResult.self), "done, already_done, refused or unknown_order."),
        .optional("stage", .text(maximumLength: 32), "Where the order stands now; absent for an unknown order."),
        .required("message", .text(maximumLength: 500), "A sentence for the operator: what happened, or why not."),
        .required("answered_at", .instant, "When the bus answered.")
    )
}

/// What became of an operator's command.
public enum OrderCommandResult: String, Codable, Sendable, Hashable, CaseIterable {
    /// Done now.
    case done
    /// Done before (this command, or another with the same effect): nothing more was done.
    case alreadyDone = "already_done"
    /// Not possible in the order's stage: the message says why.
    case refused
    /// No order with this number was placed.
    case unknownOrder = "unknown_order"
}
