/// How much of an order is paid or to be paid with one method.
public struct PaymentSummary: Codable, Sendable, Hashable {
    /// The payment method.
    public var method: PaymentMethod
    /// The amount, in the order's currency.
    public var amount: Money
    /// Where the payment stood when the message was written: pending, authorised or paid; absent: not said.
    public var status: PaymentStatus?

    /// A value with every field given; optional fields default to absent.
    public init(method: PaymentMethod, amount: Money, status: PaymentStatus? = nil) {
        self.method = method
        self.amount = amount
        self.status = status
    }

    private enum CodingKeys: String, CodingKey {
        case method
        case amount
        case status
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("method", .oneOf(PaymentMethod.self), "The payment method."),
        .required("amount", .money(.positive), "The amount, in the order's currency."),
        .optional("status", .oneOf(PaymentStatus.self), "Where the payment stood when the message was written: pending, authorised or paid; absent: not said.")
    )
}

/// Where a payment stands.
public enum PaymentStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Not authorised yet (a bank transfer awaited, a redirect not completed).
    case pending
    /// Authorised by the provider, not captured yet.
    case authorised
    /// Captured: the money is in.
    case paid
}

/// How a customer pays.
public enum PaymentMethod: String, Codable, Sendable, Hashable, CaseIterable {
    /// A payment card (the bus never carries card numbers).
    case card
    /// PayPal.
    case paypal
    /// A bank transfer.
    case bankTransfer = "bank_transfer"
    /// A promotional voucher.
    case voucher
    /// A gift card.
    case giftCard = "gift_card"
    /// A credit note or store credit.
    case creditNote = "credit_note"
}

/// How a customer gets money back.
public enum RefundMethod: String, Codable, Sendable, Hashable, CaseIterable {
    /// Back to the payment method used.
    case originalPayment = "original_payment"
    /// As store credit on the customer account.
    case storeCredit = "store_credit"
}
