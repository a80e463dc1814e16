/// How much of an order is paid or to be paid with one method.
public struct PaymentSummary: Codable, Sendable, Hashable {
    /// The payment method.
    public var method: PaymentMethod
    /// The amount, in the order's currency.
    public var amount: Money

    /// A value with every field given.
    public init(method: PaymentMethod, amount: Money) {
        self.method = method
        self.amount = amount
    }

    private enum CodingKeys: String, CodingKey {
        case method
        case amount
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("method", .oneOf(PaymentMethod.self), "The payment method."),
        .required("amount", .money(.positive), "The amount, in the order's currency.")
    )
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
