/// Asks the ERP to cancel a sales order or some of its lines, from order-ingest (topic `erp.sales-orders`, key: the site order number).
public struct ERPSalesOrderCancellation: BusMessage {
    /// "erp.sales-order-cancellation".
    public static let messageType = "erp.sales-order-cancellation"
    /// Version 1.
    public static let schemaVersion = 1
    /// Asks the ERP to cancel a sales order or some of its lines.
    public static let summary = "Asks the ERP to cancel a sales order or some of its lines."

    /// The site's cancellation request id.
    public var requestID: EventID
    /// The site order number; the record key.
    public var externalReference: OrderNumber
    /// Why.
    public var reason: CancellationReason
    /// The lines and quantities to cancel; empty cancels the whole order.
    public var lines: [OrderLineQuantity]
    /// When it was requested on the site.
    public var requestedAt: Instant

    /// A value with every field given.
    public init(
        requestID: EventID,
        externalReference: OrderNumber,
        reason: CancellationReason,
        lines: [OrderLineQuantity],
        requestedAt: Instant
    ) {
        self.requestID = requestID
        self.externalReference = externalReference
        self.reason = reason
        self.lines = lines
        self.requestedAt = requestedAt
    }

    private enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case externalReference = "external_reference"
        case reason
        case lines
        case requestedAt = "requested_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("request_id", .ref(.eventID), "The site's cancellation request id."),
        .required("external_reference", .ref(.orderNumber), "The site order number; the record key."),
        .required("reason", .oneOf(CancellationReason.self), "Why."),
        .required("lines", .list(OrderLineQuantity.schema), "The lines and quantities to cancel; empty cancels the whole order."),
        .required("requested_at", .instant, "When it was requested on the site.")
    )

    /// Line numbers are unique.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.unique(lines.map(\.lineNumber), { root.key("lines").index($0).key("line_number") }, "line number")
        return check.problems
    }
}
