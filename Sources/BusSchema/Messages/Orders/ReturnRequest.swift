/// A customer's request to return articles of a delivered order (topic `shop.orders`, key: the order number).
public struct ReturnRequest: BusMessage {
    /// "shop.return-request".
    public static let messageType = "shop.return-request"
    /// Version 1.
    public static let schemaVersion = 1
    /// A customer's request to return articles.
    public static let summary = "A customer's request to return articles."

    /// The site's return number.
    public var returnNumber: ReturnNumber
    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// When it was requested.
    public var requestedAt: Instant
    /// What is returned.
    public var lines: [ReturnLine]
    /// How the customer wants to be refunded.
    public var refundMethod: RefundMethod
    /// Articles taken in exchange for returned ones, at no charge (absent: none); what is
    /// exchanged is not refunded, the rest is, by `refund_method`.
    public var exchange: [ExchangeLine]?

    /// A value with every field given.
    public init(
        returnNumber: ReturnNumber,
        orderNumber: OrderNumber,
        requestedAt: Instant,
        lines: [ReturnLine],
        refundMethod: RefundMethod,
        exchange: [ExchangeLine]? = nil
    ) {
        self.returnNumber = returnNumber
        self.orderNumber = orderNumber
        self.requestedAt = requestedAt
        self.lines = lines
        self.refundMethod = refundMethod
        self.exchange = exchange
    }

    private enum CodingKeys: String, CodingKey {
        case returnNumber = "return_number"
        case orderNumber = "order_number"
        case requestedAt = "requested_at"
        case lines
        case refundMethod = "refund_method"
        case exchange
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("return_number", .ref(.returnNumber), "The site's return number."),
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .required("requested_at", .instant, "When it was requested."),
        .required("lines", .list(ReturnLine.schema, minimumCount: 1), "What is returned."),
        .required("refund_method", .oneOf(RefundMethod.self), "How the customer wants to be refunded."),
        .optional("exchange", .list(ExchangeLine.schema, minimumCount: 1), "Articles taken in exchange for returned ones: new order lines at no charge, linked to the return; not refunded.")
    )

    /// Line numbers are unique.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.unique(lines.map(\.lineNumber), { root.key("lines").index($0).key("line_number") }, "line number")
        check.exchanges(exchange, replace: lines, root)
        return check.problems
    }
}

/// One order line being returned.
public struct ReturnLine: Codable, Sendable, Hashable {
    /// The line number in the order.
    public var lineNumber: Int
    /// The line's SKU, repeated as a check.
    public var sku: SKU
    /// The quantity returned.
    public var quantity: Quantity
    /// Why.
    public var reason: ReturnReason
    /// The customer's words.
    public var comment: String?

    /// A value with every field given; optional fields default to absent.
    public init(
        lineNumber: Int,
        sku: SKU,
        quantity: Quantity,
        reason: ReturnReason,
        comment: String? = nil
    ) {
        self.lineNumber = lineNumber
        self.sku = sku
        self.quantity = quantity
        self.reason = reason
        self.comment = comment
    }

    private enum CodingKeys: String, CodingKey {
        case lineNumber = "line_number"
        case sku
        case quantity
        case reason
        case comment
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("line_number", .integer(minimum: 1), "The line number in the order."),
        .required("sku", .ref(.sku), "The line's SKU, repeated as a check."),
        .required("quantity", .positiveQuantity, "The quantity returned."),
        .required("reason", .oneOf(ReturnReason.self), "Why."),
        .optional("comment", .text(maximumLength: 500), "The customer's words.")
    )
}

/// Why an article is returned.
public enum ReturnReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// It arrived damaged.
    case damaged
    /// It is not what was ordered.
    case wrongItem = "wrong_item"
    /// It does not match its description.
    case notAsDescribed = "not_as_described"
    /// The customer no longer wants it.
    case noLongerNeeded = "no_longer_needed"
    /// Another reason, in the comment.
    case other
}
