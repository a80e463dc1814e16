import BusSchema

/// Something that happened to an order that a customer may be told about; the keys of the
/// `notifications` rule.
public enum Transition: String, Codable, Sendable, Hashable, CaseIterable, CodingKeyRepresentable {
    /// The ERP validated the order.
    case validated
    /// The order is being prepared.
    case inPreparation = "in_preparation"
    /// Part of the order left.
    case partiallyShipped = "partially_shipped"
    /// All of it left.
    case shipped
    /// The carrier delivered it.
    case delivered
    /// It was cancelled.
    case cancelled
    /// An article is out of stock (once per line).
    case stockOut = "stock_out"
    /// The payment is missing or disputed.
    case paymentIssue = "payment_issue"
    /// The address cannot be delivered to.
    case addressIssue = "address_issue"
    /// An invoice was issued (once per invoice).
    case invoiceIssued = "invoice_issued"
    /// A credit note was refunded to the original payment (once per credit note).
    case refundIssued = "refund_issued"
    /// Store credit was issued, with the code to spend it (once per code).
    case storeCreditIssued = "store_credit_issued"
    /// A gift card bought was paid, with its code (once per card).
    case giftCardIssued = "gift_card_issued"

    /// The transition of reaching `status`.
    public init(_ status: OrderStatus) {
        switch status {
        case .validated: self = .validated
        case .inPreparation: self = .inPreparation
        case .partiallyShipped: self = .partiallyShipped
        case .shipped: self = .shipped
        case .delivered: self = .delivered
        case .cancelled: self = .cancelled
        }
    }

    /// The transition of a problem appearing.
    public init(_ problem: OrderProblemKind) {
        switch problem {
        case .stockOut: self = .stockOut
        case .paymentIssue: self = .paymentIssue
        case .addressIssue: self = .addressIssue
        }
    }
}
