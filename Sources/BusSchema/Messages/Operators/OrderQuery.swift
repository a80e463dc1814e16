/// An operator's question about the orders order-ingest holds (topic `bus.control`, key: the
/// worker name `order-ingest`, which is also the answer's key; a request: `ce_correlationid`,
/// `ce_replyto: bus.control-replies`, `ce_deadline`). `bus orders list` asks for the held
/// orders (of one reason), `bus orders show` for one order.
///
/// Version 2 takes the hold reason `credit_limit_exceeded` (`shop.order-acceptance` v3): a new
/// enum value refuses what a version-1 reader validates, hence a new version (`OrderQueryV1`
/// still reads version 1).
public struct OrderQuery: BusMessage {
    /// "bus.order-query".
    public static let messageType = "bus.order-query"
    /// Version 2.
    public static let schemaVersion = 2
    /// An operator's question about the orders the bus holds.
    public static let summary = "An operator's question about the orders order-ingest holds (bus orders list|show)."

    /// One order, whatever its stage; absent: every held order.
    public var orderNumber: OrderNumber?
    /// Only held orders with this reason (list only).
    public var holdReason: AcceptanceReasonCode?
    /// The operator, for the audit trail.
    public var requestedBy: String

    /// A value with every field given; the filters default to absent.
    public init(orderNumber: OrderNumber? = nil, holdReason: AcceptanceReasonCode? = nil, requestedBy: String) {
        self.orderNumber = orderNumber
        self.holdReason = holdReason
        self.requestedBy = requestedBy
    }

    private enum CodingKeys: String, CodingKey {
        case orderNumber = "order_number"
        case holdReason = "hold_reason"
        case requestedBy = "requested_by"
    }

    /// The JSON shape of the message.
    public static let schema = shape(version: schemaVersion)

    /// The shape of `version`: version 1 knows the hold reasons of `shop.order-acceptance` v2.
    static func shape(version: Int) -> SchemaNode {
        .object(
            .optional("order_number", .ref(.orderNumber), "One order, whatever its stage; absent: every held order."),
            .optional("hold_reason", .oneOf(AcceptanceReasonCode.known(inAcceptanceVersion: version + 1)), "Only held orders with this reason (without order_number)."),
            .required("requested_by", .text(maximumLength: 100), "The operator, for the audit trail.")
        )
    }

    /// A reason filters a list, not one order.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        check.expect(orderNumber == nil || holdReason == nil, JSONPath.root.key("hold_reason"),
                     .inconsistent(rule: "hold_reason filters the list of held orders: it is not given with order_number"))
        return check.problems
    }
}
