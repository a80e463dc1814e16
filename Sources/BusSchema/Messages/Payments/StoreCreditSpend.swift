/// A payment that spends store credit or a bus-issued gift card, forwarded by payment-letterer
/// from the paying order to the code's balance (internal topic `bus.payment-letterer.rekey`,
/// key: the code), where it is accepted or refused.
public struct StoreCreditSpend: BusMessage {
    /// "bus.store-credit-spend".
    public static let messageType = "bus.store-credit-spend"
    /// Version 1.
    public static let schemaVersion = 1
    /// A payment spending a credit code, on its way to the code's balance.
    public static let summary = "A payment spending a credit code, on its way to the code's balance."

    /// The code spent; the record key.
    public var code: CreditCode
    /// The order paid.
    public var orderNumber: OrderNumber
    /// The site payment that spends it.
    public var paymentID: PaymentID
    /// The amount spent.
    public var amount: Money
    /// When the site took the payment: expiry is judged on its day (UTC).
    public var requestedAt: Instant

    /// A value with every field given.
    public init(code: CreditCode, orderNumber: OrderNumber, paymentID: PaymentID, amount: Money, requestedAt: Instant) {
        self.code = code
        self.orderNumber = orderNumber
        self.paymentID = paymentID
        self.amount = amount
        self.requestedAt = requestedAt
    }

    private enum CodingKeys: String, CodingKey {
        case code
        case orderNumber = "order_number"
        case paymentID = "payment_id"
        case amount
        case requestedAt = "requested_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("code", CreditCode.schema, "The code spent; the record key."),
        .required("order_number", .ref(.orderNumber), "The order paid."),
        .required("payment_id", .ref(.eventID), "The site payment that spends it."),
        .required("amount", .money(.positive), "The amount spent."),
        .required("requested_at", .instant, "When the site took the payment: expiry is judged on its day (UTC).")
    )
}
