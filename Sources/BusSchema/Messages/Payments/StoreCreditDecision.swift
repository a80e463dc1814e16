/// Whether a payment spending a credit code (store credit or a bus-issued gift card) was
/// accepted, from payment-letterer (topic `shop.store-credits`, key: the order paid). A refused
/// spend is never posted to the ERP; the site undoes it and tells the customer the reason.
public struct StoreCreditDecision: BusMessage {
    /// "shop.store-credit-decision".
    public static let messageType = "shop.store-credit-decision"
    /// Version 1.
    public static let schemaVersion = 1
    /// A credit code spend accepted or refused, with the balance left.
    public static let summary = "A credit code spend accepted or refused, with the reason and the balance left."

    /// The decision's id, from the code and the payment.
    public var decisionID: EventID
    /// The code spent.
    public var code: CreditCode
    /// The order paid; the record key.
    public var orderNumber: OrderNumber
    /// The site payment that spends it.
    public var paymentID: PaymentID
    /// The amount asked.
    public var amount: Money
    /// accepted or refused.
    public var outcome: SpendOutcome
    /// Why it was refused; absent when accepted.
    public var refusal: SpendRefusal?
    /// What is left on the code after this decision (a refusal leaves it as it was), in the code's currency.
    public var balance: Money
    /// The last day the code can be spent; absent: no expiry (or an unknown code).
    public var expiresOn: LocalDate?
    /// When it was decided: the payment's time.
    public var decidedAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        decisionID: EventID, code: CreditCode, orderNumber: OrderNumber, paymentID: PaymentID, amount: Money,
        outcome: SpendOutcome, refusal: SpendRefusal? = nil, balance: Money, expiresOn: LocalDate? = nil, decidedAt: Instant
    ) {
        self.decisionID = decisionID
        self.code = code
        self.orderNumber = orderNumber
        self.paymentID = paymentID
        self.amount = amount
        self.outcome = outcome
        self.refusal = refusal
        self.balance = balance
        self.expiresOn = expiresOn
        self.decidedAt = decidedAt
    }

    private enum CodingKeys: String, CodingKey {
        case decisionID = "decision_id"
        case code
        case orderNumber = "order_number"
        case paymentID = "payment_id"
        case amount
        case outcome
        case refusal
        case balance
        case expiresOn = "expires_on"
        case decidedAt = "decided_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("decision_id", .ref(.eventID), "The decision's id, from the code and the payment."),
        .required("code", CreditCode.schema, "The code spent."),
        .required("order_number", .ref(.orderNumber), "The order paid; the record key."),
        .required("payment_id", .ref(.eventID), "The site payment that spends it."),
        .required("amount", .money(.positive), "The amount asked."),
        .required("outcome", .oneOf(SpendOutcome.self), "accepted or refused."),
        .optional("refusal", .oneOf(SpendRefusal.self), "Why it was refused; absent when accepted."),
        .required("balance", .money(.nonNegative), "What is left on the code after this decision (a refusal leaves it as it was)."),
        .optional("expires_on", .date, "The last day the code can be spent; absent: no expiry (or an unknown code)."),
        .required("decided_at", .instant, "When it was decided: the payment's time.")
    )

    /// A refusal has a reason and an acceptance none. (The balance is in the code's currency,
    /// which a spend refused `currency_mismatch` does not share.)
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.expect((outcome == .refused) == (refusal != nil), root.key("refusal"),
                     .inconsistent(rule: "a refused spend has a refusal reason and an accepted one none"))
        check.expect(outcome == .refused || balance.currency == amount.currency, root.key("balance"),
                     .inconsistent(rule: "an accepted spend is in the code's currency"))
        return check.problems
    }
}

/// What became of a spend.
public enum SpendOutcome: String, Codable, Sendable, Hashable, CaseIterable {
    /// Taken from the balance; the payment is posted to the ERP.
    case accepted
    /// Not taken; the payment is not posted, the site must undo it.
    case refused
}

/// Why a spend was refused.
public enum SpendRefusal: String, Codable, Sendable, Hashable, CaseIterable {
    /// No store credit or gift card has this code.
    case unknownCode = "unknown_code"
    /// The payment's day is after the code's last day.
    case expired
    /// The amount is more than what is left on the code.
    case insufficientBalance = "insufficient_balance"
    /// The payment is in another currency than the code's.
    case currencyMismatch = "currency_mismatch"
}
