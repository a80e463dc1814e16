/// Asks the ERP to authorise a return, from order-ingest (topic `erp.sales-orders`, key: the site order number).
public struct ERPReturnRequest: BusMessage {
    /// "erp.return-request".
    public static let messageType = "erp.return-request"
    /// Version 1.
    public static let schemaVersion = 1
    /// Asks the ERP to authorise a return.
    public static let summary = "Asks the ERP to authorise a return."

    /// The site's return number.
    public var returnNumber: ReturnNumber
    /// The site order number; the record key.
    public var externalReference: OrderNumber
    /// The ERP account.
    public var soldTo: ERPAccountCode
    /// What is returned.
    public var lines: [ReturnLine]
    /// How the customer wants to be refunded.
    public var refundMethod: RefundMethod
    /// Articles taken in exchange for returned ones, at no charge (absent: none); what is
    /// exchanged is not refunded, the rest is, by `refund_method`.
    public var exchange: [ExchangeLine]?
    /// When it was requested on the site.
    public var requestedAt: Instant

    /// A value with every field given.
    public init(
        returnNumber: ReturnNumber,
        externalReference: OrderNumber,
        soldTo: ERPAccountCode,
        lines: [ReturnLine],
        refundMethod: RefundMethod,
        requestedAt: Instant,
        exchange: [ExchangeLine]? = nil
    ) {
        self.returnNumber = returnNumber
        self.externalReference = externalReference
        self.soldTo = soldTo
        self.lines = lines
        self.refundMethod = refundMethod
        self.exchange = exchange
        self.requestedAt = requestedAt
    }

    private enum CodingKeys: String, CodingKey {
        case returnNumber = "return_number"
        case externalReference = "external_reference"
        case soldTo = "sold_to"
        case lines
        case refundMethod = "refund_method"
        case exchange
        case requestedAt = "requested_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("return_number", .ref(.returnNumber), "The site's return number."),
        .required("external_reference", .ref(.orderNumber), "The site order number; the record key."),
        .required("sold_to", .ref(.erpAccountCode), "The ERP account."),
        .required("lines", .list(ReturnLine.schema, minimumCount: 1), "What is returned."),
        .required("refund_method", .oneOf(RefundMethod.self), "How the customer wants to be refunded."),
        .required("requested_at", .instant, "When it was requested on the site."),
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
