/// A payment captured or refunded on the site (topic `shop.payments`, key: the order number).
/// There is deliberately no field for card data: a card number anywhere in the message makes it refused as forbidden content.
public struct SitePayment: BusMessage {
    /// "shop.payment".
    public static let messageType = "shop.payment"
    /// Version 1.
    public static let schemaVersion = 1
    /// A payment captured or refunded on the site; never carries card data.
    public static let summary = "A payment captured or refunded on the site; never carries card data."

    /// The site's id for this capture or refund; unique.
    public var paymentID: PaymentID
    /// The order paid; the record key.
    public var orderNumber: OrderNumber
    /// capture (money in) or refund (money out).
    public var kind: PaymentKind
    /// The payment method.
    public var method: PaymentMethod
    /// The amount captured or refunded, more than zero.
    public var amount: Money
    /// The payment service provider (stripe, adyen, paypal, ...).
    public var provider: Code?
    /// The provider's transaction id, for bank reconciliation.
    public var providerReference: String
    /// For method card: the brand, for the accounting journal. Never the number.
    public var cardBrand: CardBrand?
    /// When the provider captured or refunded the money.
    public var occurredAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        paymentID: PaymentID,
        orderNumber: OrderNumber,
        kind: PaymentKind,
        method: PaymentMethod,
        amount: Money,
        provider: Code? = nil,
        providerReference: String,
        cardBrand: CardBrand? = nil,
        occurredAt: Instant
    ) {
        self.paymentID = paymentID
        self.orderNumber = orderNumber
        self.kind = kind
        self.method = method
        self.amount = amount
        self.provider = provider
        self.providerReference = providerReference
        self.cardBrand = cardBrand
        self.occurredAt = occurredAt
    }

    private enum CodingKeys: String, CodingKey {
        case paymentID = "payment_id"
        case orderNumber = "order_number"
        case kind
        case method
        case amount
        case provider
        case providerReference = "provider_reference"
        case cardBrand = "card_brand"
        case occurredAt = "occurred_at"
    }

    /// The form of a provider's transaction reference (a capture's, a gift card's code…).
    public static let providerReferenceSchema = SchemaNode.string(StringRule(
        maximumLength: 128, pattern: "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$", patternName: "a provider reference: letters, digits, '_', '.', ':' or '-'"))

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("payment_id", .ref(.eventID), "The site's id for this capture or refund; unique."),
        .required("order_number", .ref(.orderNumber), "The order paid; the record key."),
        .required("kind", .oneOf(PaymentKind.self), "capture (money in) or refund (money out)."),
        .required("method", .oneOf(PaymentMethod.self), "The payment method."),
        .required("amount", .money(.positive), "The amount captured or refunded, more than zero."),
        .optional("provider", .ref(.code), "The payment service provider (stripe, adyen, paypal, ...)."),
        .required("provider_reference", providerReferenceSchema, "The provider's transaction id, for bank reconciliation."),
        .optional("card_brand", .oneOf(CardBrand.self), "For method card: the brand, for the accounting journal. Never the number."),
        .required("occurred_at", .instant, "When the provider captured or refunded the money.")
    )

    /// card_brand is given only for card payments.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        if cardBrand != nil { check.expect(method == .card, root.key("card_brand"), .inconsistent(rule: "card_brand is only for method card")) }
        return check.problems
    }
}

/// Which way money moves.
public enum PaymentKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// The customer paid.
    case capture
    /// The customer was paid back.
    case refund
}

/// A payment card brand.
public enum CardBrand: String, Codable, Sendable, Hashable, CaseIterable {
    /// Visa.
    case visa
    /// Mastercard.
    case mastercard
    /// American Express.
    case amex
    /// Carte Bancaire.
    case cb
    /// Another brand.
    case other
}
