/// order-ingest's answer to an `OrderQuery`, from the state of the partitions one instance
/// holds (topic `bus.control-replies`, key: the query's record key, same correlation id).
/// Every instance answers for its own partitions: a reader has the whole answer once the
/// answers' `partitions` cover `partition_count`.
///
/// Version 2 may give the hold reason `credit_limit_exceeded` (`shop.order-acceptance` v3): a
/// new enum value refuses what a version-1 reader validates, hence a new version
/// (`OrderQueryAnswerV1` still reads version 1).
public struct OrderQueryAnswer: BusMessage {
    /// "bus.order-query-answer".
    public static let messageType = "bus.order-query-answer"
    /// Version 2.
    public static let schemaVersion = 2
    /// The orders an instance of order-ingest holds that the query asked for.
    public static let summary = "The orders one order-ingest instance holds that an order query asked for (same correlation id)."

    /// answered, or timeout when the deadline passed before the query was read (no orders).
    public var status: AnswerStatus
    /// The orders asked for, by order number.
    public var orders: [OrderView]
    /// The state partitions this answer covers.
    public var partitions: [Int]
    /// How many state partitions there are in all.
    public var partitionCount: Int
    /// When the bus answered.
    public var answeredAt: Instant

    /// A value with every field given.
    public init(status: AnswerStatus, orders: [OrderView], partitions: [Int], partitionCount: Int, answeredAt: Instant) {
        self.status = status
        self.orders = orders
        self.partitions = partitions
        self.partitionCount = partitionCount
        self.answeredAt = answeredAt
    }

    private enum CodingKeys: String, CodingKey {
        case status, orders, partitions
        case partitionCount = "partition_count"
        case answeredAt = "answered_at"
    }

    /// The most orders one answer lists (Kafka's default record size allows about this many).
    public static let maximumOrders = 1000

    /// The JSON shape of the message.
    public static let schema = shape(version: schemaVersion)

    /// The shape of `version`: version 1 knows the hold reasons of `shop.order-acceptance` v2.
    static func shape(version: Int) -> SchemaNode {
        .object(
            .required("status", .oneOf([AnswerStatus.answered.rawValue, AnswerStatus.timeout.rawValue]), "answered, or timeout when the deadline passed before the query was read (no orders)."),
            .required("orders", .list(OrderView.shape(codes: AcceptanceReasonCode.known(inAcceptanceVersion: version + 1)), maximumCount: maximumOrders),
                      "The orders asked for, by order number."),
            .required("partitions", .list(.integer(minimum: 0), maximumCount: 10000), "The state partitions this answer covers."),
            .required("partition_count", .integer(minimum: 0), "How many state partitions there are in all."),
            .required("answered_at", .instant, "When the bus answered.")
        )
    }

    /// A timeout lists no orders.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        check.expect(status != .indicative, JSONPath.root.key("status"), .notAllowed(allowed: [AnswerStatus.answered.rawValue, AnswerStatus.timeout.rawValue]))
        check.expect(status == .answered || orders.isEmpty, JSONPath.root.key("orders"), .inconsistent(rule: "a timeout lists no orders"))
        return check.problems
    }
}

/// One order as an operator sees it: where it stands, why it is held (with the figures that
/// decide), and the decisions operators took on it. Codes, numbers and amounts only.
public struct OrderView: Codable, Sendable, Hashable {
    /// The order.
    public var orderNumber: OrderNumber
    /// Where it stands (not_placed, awaiting_payment, scheduled, held, sent, refused, cancelled).
    public var stage: String
    /// The order's total including tax, as placed.
    public var total: Money?
    /// Why it is held, judged again now against the tables, each with its figures.
    public var reasons: [HoldReason]
    /// Operators' decisions on it, oldest first.
    public var decisions: [OperatorDecision]

    /// A value with every field given.
    public init(orderNumber: OrderNumber, stage: String, total: Money?, reasons: [HoldReason], decisions: [OperatorDecision]) {
        self.orderNumber = orderNumber
        self.stage = stage
        self.total = total
        self.reasons = reasons
        self.decisions = decisions
    }

    private enum CodingKeys: String, CodingKey {
        case orderNumber = "order_number"
        case stage, total, reasons, decisions
    }

    /// The JSON shape.
    public static let schema = shape(codes: AcceptanceReasonCode.allCases.map(\.rawValue))

    /// The shape whose hold reasons are `codes`.
    static func shape(codes: [String]) -> SchemaNode {
        .object(
            .required("order_number", .ref(.orderNumber), "The order."),
            .required("stage", .text(maximumLength: 32), "Where it stands (not_placed, awaiting_payment, scheduled, held, sent, refused, cancelled)."),
            .optional("total", .money(.nonNegative), "The order's total including tax, as placed."),
            .required("reasons", .list(HoldReason.shape(codes: codes), maximumCount: 1000), "Why it is held, judged again now, each with its figures."),
            .required("decisions", .list(OperatorDecision.shape(codes: codes), maximumCount: 100), "Operators' decisions on it, oldest first.")
        )
    }
}

/// One reason an order is held, with the facts that decide (expected and found figures).
public struct HoldReason: Codable, Sendable, Hashable {
    /// What is wrong.
    public var code: AcceptanceReasonCode
    /// The order line concerned, if one.
    public var lineNumber: Int?
    /// A sentence for the operator.
    public var message: String
    /// The figures (expected_unit_price and found_unit_price, credit_limit and open_amount, …).
    public var details: [String: String]

    /// A value with every field given.
    public init(code: AcceptanceReasonCode, lineNumber: Int? = nil, message: String, details: [String: String] = [:]) {
        self.code = code
        self.lineNumber = lineNumber
        self.message = message
        self.details = details
    }

    private enum CodingKeys: String, CodingKey {
        case code
        case lineNumber = "line_number"
        case message, details
    }

    /// The JSON shape.
    public static let schema = shape(codes: AcceptanceReasonCode.allCases.map(\.rawValue))

    /// The shape whose codes are `codes`.
    static func shape(codes: [String]) -> SchemaNode {
        .object(
            .required("code", .oneOf(codes), "What is wrong."),
            .optional("line_number", .integer(minimum: 1), "The order line concerned, if one."),
            .required("message", .text(maximumLength: 500), "A sentence for the operator."),
            .required("details", .map(keys: StringRule(maximumLength: 64, pattern: "^[a-z][a-z0-9_]{0,63}$", patternName: "a detail name such as expected_total"),
                                      values: .text(maximumLength: 1000), minimumCount: 0), "The figures that decide; no personal data.")
        )
    }
}

/// An operator's decision taken on an order, as its record keeps it.
public struct OperatorDecision: Codable, Sendable, Hashable {
    /// The command that took it.
    public var commandID: EventID
    /// release or cancel.
    public var action: OrderCommandAction
    /// The operator.
    public var by: String
    /// Why.
    public var reason: String
    /// When it was asked.
    public var at: Instant
    /// The hold reasons a release overrode (empty for a cancellation).
    public var overrides: [AcceptanceReasonCode]

    /// A value with every field given.
    public init(commandID: EventID, action: OrderCommandAction, by: String, reason: String, at: Instant, overrides: [AcceptanceReasonCode] = []) {
        self.commandID = commandID
        self.action = action
        self.by = by
        self.reason = reason
        self.at = at
        self.overrides = overrides
    }

    private enum CodingKeys: String, CodingKey {
        case commandID = "command_id"
        case action, by, reason, at, overrides
    }

    /// The JSON shape.
    public static let schema = shape(codes: AcceptanceReasonCode.allCases.map(\.rawValue))

    /// The shape whose overridden reasons are `codes`.
    static func shape(codes: [String]) -> SchemaNode {
        .object(
            .required("command_id", .ref(.eventID), "The command that took it."),
            .required("action", .oneOf(OrderCommandAction.self), "release or cancel."),
            .required("by", .text(maximumLength: 100), "The operator."),
            .required("reason", .text(maximumLength: 500), "Why."),
            .required("at", .instant, "When it was asked."),
            .required("overrides", .list(.oneOf(codes), maximumCount: 100), "The hold reasons a release overrode (empty for a cancellation).")
        )
    }
}
