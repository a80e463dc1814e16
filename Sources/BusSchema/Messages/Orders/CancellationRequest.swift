/// A request to cancel an order or some of its lines, from the site (topic `shop.orders`, key: the order number).
/// The ERP decides: the answer comes as an order status.
public struct CancellationRequest: BusMessage {
    /// "shop.order-cancellation".
    public static let messageType = "shop.order-cancellation"
    /// Version 1.
    public static let schemaVersion = 1
    /// A request to cancel an order or some of its lines.
    public static let summary = "A request to cancel an order or some of its lines."

    /// The request's id.
    public var requestID: EventID
    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// When it was requested.
    public var requestedAt: Instant
    /// Who asked.
    public var requestedBy: Requester
    /// Why.
    public var reason: CancellationReason
    /// A note for customer service.
    public var comment: String?
    /// The lines and quantities to cancel; empty cancels the whole order.
    public var lines: [OrderLineQuantity]

    /// A value with every field given; optional fields default to absent.
    public init(
        requestID: EventID,
        orderNumber: OrderNumber,
        requestedAt: Instant,
        requestedBy: Requester,
        reason: CancellationReason,
        comment: String? = nil,
        lines: [OrderLineQuantity]
    ) {
        self.requestID = requestID
        self.orderNumber = orderNumber
        self.requestedAt = requestedAt
        self.requestedBy = requestedBy
        self.reason = reason
        self.comment = comment
        self.lines = lines
    }

    private enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case orderNumber = "order_number"
        case requestedAt = "requested_at"
        case requestedBy = "requested_by"
        case reason
        case comment
        case lines
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("request_id", .ref(.eventID), "The request's id."),
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .required("requested_at", .instant, "When it was requested."),
        .required("requested_by", .oneOf(Requester.self), "Who asked."),
        .required("reason", .oneOf(CancellationReason.self), "Why."),
        .optional("comment", .text(maximumLength: 500), "A note for customer service."),
        .required("lines", .list(OrderLineQuantity.schema), "The lines and quantities to cancel; empty cancels the whole order.")
    )

    /// Line numbers are unique.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.unique(lines.map(\.lineNumber), { root.key("lines").index($0).key("line_number") }, "line number")
        return check.problems
    }
}

/// Who made a request.
public enum Requester: String, Codable, Sendable, Hashable, CaseIterable {
    /// The customer.
    case customer
    /// Customer service staff.
    case customerService = "customer_service"
    /// The fraud review.
    case fraudReview = "fraud_review"
}

/// Why an order is cancelled.
public enum CancellationReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// The customer changed their mind.
    case customerRequest = "customer_request"
    /// The payment failed or was refused.
    case paymentFailed = "payment_failed"
    /// Fraud is suspected.
    case fraudSuspected = "fraud_suspected"
    /// The articles cannot be supplied.
    case outOfStock = "out_of_stock"
    /// Another reason, in the comment.
    case other
}
