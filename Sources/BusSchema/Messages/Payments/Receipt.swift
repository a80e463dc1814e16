/// A payment for the ERP to book, from payment-letterer (topic `erp.receipts`, key: the order number).
/// One per site payment; a refund is booked as a disbursement.
public struct Receipt: BusMessage {
    /// "erp.receipt".
    public static let messageType = "erp.receipt"
    /// Version 1.
    public static let schemaVersion = 1
    /// A payment for the ERP to book.
    public static let summary = "A payment for the ERP to book."

    /// The receipt's id, derived from the payment id (stable across redeliveries).
    public var receiptID: EventID
    /// The site payment it books.
    public var paymentID: PaymentID
    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// The ERP account credited.
    public var accountCode: ERPAccountCode
    /// capture (a receipt) or refund (a disbursement).
    public var kind: PaymentKind
    /// The payment method.
    public var method: PaymentMethod
    /// The amount.
    public var amount: Money
    /// The provider's transaction id, for bank reconciliation.
    public var providerReference: String
    /// The ERP journal to book it in (one per provider and method).
    public var journal: Code
    /// When the money moved.
    public var receivedAt: Instant

    /// A value with every field given.
    public init(
        receiptID: EventID,
        paymentID: PaymentID,
        orderNumber: OrderNumber,
        accountCode: ERPAccountCode,
        kind: PaymentKind,
        method: PaymentMethod,
        amount: Money,
        providerReference: String,
        journal: Code,
        receivedAt: Instant
    ) {
        self.receiptID = receiptID
        self.paymentID = paymentID
        self.orderNumber = orderNumber
        self.accountCode = accountCode
        self.kind = kind
        self.method = method
        self.amount = amount
        self.providerReference = providerReference
        self.journal = journal
        self.receivedAt = receivedAt
    }

    private enum CodingKeys: String, CodingKey {
        case receiptID = "receipt_id"
        case paymentID = "payment_id"
        case orderNumber = "order_number"
        case accountCode = "account_code"
        case kind
        case method
        case amount
        case providerReference = "provider_reference"
        case journal
        case receivedAt = "received_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("receipt_id", .ref(.eventID), "The receipt's id, derived from the payment id (stable across redeliveries)."),
        .required("payment_id", .ref(.eventID), "The site payment it books."),
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .required("account_code", .ref(.erpAccountCode), "The ERP account credited."),
        .required("kind", .oneOf(PaymentKind.self), "capture (a receipt) or refund (a disbursement)."),
        .required("method", .oneOf(PaymentMethod.self), "The payment method."),
        .required("amount", .money(.positive), "The amount."),
        .required("provider_reference", .string(StringRule(maximumLength: 128, pattern: "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$", patternName: "a provider reference")), "The provider's transaction id, for bank reconciliation."),
        .required("journal", .ref(.code), "The ERP journal to book it in (one per provider and method)."),
        .required("received_at", .instant, "When the money moved.")
    )
}
