/// Captures and refunds of one order lettered together, with no document, from
/// payment-letterer (topic `erp.lettering`, key: the order number): the order was cancelled
/// before it was invoiced and the site refunded what it had captured. Each offset is the whole
/// matching so far and supersedes the earlier one of the order; nothing is left open.
public struct PaymentOffset: BusMessage {
    /// "erp.payment-offset".
    public static let messageType = "erp.payment-offset"
    /// Version 1.
    public static let schemaVersion = 1
    /// Captures and refunds of a cancelled, uninvoiced order, lettered together.
    public static let summary = "Captures and refunds of an order cancelled before invoicing, lettered together."

    /// The offset's id: the order and how many payments it matches.
    public var offsetID: EventID
    /// The ERP account the receipts are booked on.
    public var accountCode: ERPAccountCode
    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// The currency of every amount.
    public var currency: Currency
    /// The captures' receipts matched, with the amount each gives.
    public var captures: [LetteredPayment]
    /// The refunds' disbursements matched, with the amount each takes.
    public var refunds: [LetteredPayment]
    /// When the match became possible: the latest payment's time.
    public var letteredAt: Instant

    /// A value with every field given.
    public init(
        offsetID: EventID, accountCode: ERPAccountCode, orderNumber: OrderNumber, currency: Currency,
        captures: [LetteredPayment], refunds: [LetteredPayment], letteredAt: Instant
    ) {
        self.offsetID = offsetID
        self.accountCode = accountCode
        self.orderNumber = orderNumber
        self.currency = currency
        self.captures = captures
        self.refunds = refunds
        self.letteredAt = letteredAt
    }

    private enum CodingKeys: String, CodingKey {
        case offsetID = "offset_id"
        case accountCode = "account_code"
        case orderNumber = "order_number"
        case currency
        case captures
        case refunds
        case letteredAt = "lettered_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("offset_id", .ref(.eventID), "The offset's id: the order and how many payments it matches."),
        .required("account_code", .ref(.erpAccountCode), "The ERP account the receipts are booked on."),
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .required("currency", .ref(.currencyCode), "The currency of every amount."),
        .required("captures", .list(LetteredPayment.schema, minimumCount: 1), "The captures' receipts matched, with the amount each gives."),
        .required("refunds", .list(LetteredPayment.schema, minimumCount: 1), "The refunds' disbursements matched, with the amount each takes."),
        .required("lettered_at", .instant, "When the match became possible: the latest payment's time.")
    )

    /// One currency, and the captures matched add up to the refunds matched.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        for (index, item) in captures.enumerated() { check.currency(item.amount, currency, root.key("captures").index(index).key("amount")) }
        for (index, item) in refunds.enumerated() { check.currency(item.amount, currency, root.key("refunds").index(index).key("amount")) }
        let zero = Money.zero(currency)
        check.total(zero, plus: captures.map(\.amount), minus: refunds.map(\.amount), root.key("refunds"), "the refunds matched must add up to the captures matched")
        return check.problems
    }
}
