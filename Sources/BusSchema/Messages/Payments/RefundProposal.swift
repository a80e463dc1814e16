/// Money to give back, proposed by payment-letterer (topic `erp.lettering`, key: the order
/// number): the order is invoiced in full and the customer paid more (typically captured in
/// full, then partly cancelled and invoiced for less). The ERP (or a person) decides; the
/// site's refund of the amount on `shop.payments` clears the overpayment and settles the order.
public struct RefundProposal: BusMessage {
    /// "erp.refund-proposal".
    public static let messageType = "erp.refund-proposal"
    /// Version 1.
    public static let schemaVersion = 1
    /// A refund of an overpayment, proposed for the ERP to decide.
    public static let summary = "A refund of an overpayment, proposed for the ERP to decide."

    /// The proposal's id, from the order and the amount.
    public var proposalID: EventID
    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// The ERP account to refund.
    public var accountCode: ERPAccountCode
    /// What to refund: paid less invoiced.
    public var amount: Money
    /// The order's invoices, in all.
    public var invoicedTotal: Money
    /// The captures less the refunds so far.
    public var paidTotal: Money
    /// The captures to refund against, latest first, each for at most what it brought.
    public var refundTo: [ProposedRefund]
    /// When the overpayment appeared: the latest of the order's payments and invoices.
    public var proposedAt: Instant

    /// A value with every field given.
    public init(
        proposalID: EventID, orderNumber: OrderNumber, accountCode: ERPAccountCode, amount: Money, invoicedTotal: Money,
        paidTotal: Money, refundTo: [ProposedRefund], proposedAt: Instant
    ) {
        self.proposalID = proposalID
        self.orderNumber = orderNumber
        self.accountCode = accountCode
        self.amount = amount
        self.invoicedTotal = invoicedTotal
        self.paidTotal = paidTotal
        self.refundTo = refundTo
        self.proposedAt = proposedAt
    }

    private enum CodingKeys: String, CodingKey {
        case proposalID = "proposal_id"
        case orderNumber = "order_number"
        case accountCode = "account_code"
        case amount
        case invoicedTotal = "invoiced_total"
        case paidTotal = "paid_total"
        case refundTo = "refund_to"
        case proposedAt = "proposed_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("proposal_id", .ref(.eventID), "The proposal's id, from the order and the amount."),
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .required("account_code", .ref(.erpAccountCode), "The ERP account to refund."),
        .required("amount", .money(.positive), "What to refund: paid less invoiced."),
        .required("invoiced_total", .money(.nonNegative), "The order's invoices, in all."),
        .required("paid_total", .money(.any), "The captures less the refunds so far."),
        .required("refund_to", .list(ProposedRefund.schema, minimumCount: 1), "The captures to refund against, latest first."),
        .required("proposed_at", .instant, "When the overpayment appeared.")
    )

    /// The amounts are in one currency and the captures named cover the amount exactly.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.currency(invoicedTotal, amount.currency, root.key("invoiced_total"))
        check.currency(paidTotal, amount.currency, root.key("paid_total"))
        for (index, refund) in refundTo.enumerated() { check.currency(refund.amount, amount.currency, root.key("refund_to").index(index).key("amount")) }
        check.total(amount, plus: refundTo.map(\.amount), root.key("amount"), "amount must equal the sum of refund_to")
        return check.problems
    }
}

/// One capture a proposed refund goes back through.
public struct ProposedRefund: Codable, Sendable, Hashable {
    /// The site payment (capture) to refund.
    public var paymentID: PaymentID
    /// Its method.
    public var method: PaymentMethod
    /// The provider's reference of the capture.
    public var providerReference: String
    /// How much of it to refund.
    public var amount: Money

    /// A value with every field given.
    public init(paymentID: PaymentID, method: PaymentMethod, providerReference: String, amount: Money) {
        self.paymentID = paymentID
        self.method = method
        self.providerReference = providerReference
        self.amount = amount
    }

    private enum CodingKeys: String, CodingKey {
        case paymentID = "payment_id"
        case method
        case providerReference = "provider_reference"
        case amount
    }

    /// The JSON shape of one capture.
    public static let schema: SchemaNode = .object(
        .required("payment_id", .ref(.eventID), "The site payment (capture) to refund."),
        .required("method", .oneOf(PaymentMethod.self), "Its method."),
        .required("provider_reference", SitePayment.providerReferenceSchema, "The provider's reference of the capture."),
        .required("amount", .money(.positive), "How much of it to refund.")
    )
}
