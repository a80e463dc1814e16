/// A gift card sold as an article and paid, from payment-letterer (topic `erp.lettering`, key:
/// the order that bought it): its code, spendable as a payment of method `gift_card` with the
/// code as provider reference, for the card's value, in one or several orders.
public struct GiftCardIssued: BusMessage {
    /// "erp.gift-card-issued".
    public static let messageType = "erp.gift-card-issued"
    /// Version 1.
    public static let schemaVersion = 1
    /// A paid gift card's code and value.
    public static let summary = "A gift card sold as an article and paid: its code and value."

    /// The gift card's id, from the order, the line and the unit.
    public var giftCardID: EventID
    /// The code the holder spends it with.
    public var code: CreditCode
    /// The ERP account that bought it.
    public var accountCode: ERPAccountCode
    /// The order that bought it; the record key.
    public var orderNumber: OrderNumber
    /// The gift card article.
    public var sku: SKU
    /// Its value.
    public var amount: Money
    /// The last day it can be spent; absent: no expiry.
    public var expiresOn: LocalDate?
    /// When it was issued: when the order was paid in full.
    public var issuedAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        giftCardID: EventID, code: CreditCode, accountCode: ERPAccountCode, orderNumber: OrderNumber, sku: SKU,
        amount: Money, expiresOn: LocalDate? = nil, issuedAt: Instant
    ) {
        self.giftCardID = giftCardID
        self.code = code
        self.accountCode = accountCode
        self.orderNumber = orderNumber
        self.sku = sku
        self.amount = amount
        self.expiresOn = expiresOn
        self.issuedAt = issuedAt
    }

    private enum CodingKeys: String, CodingKey {
        case giftCardID = "gift_card_id"
        case code
        case accountCode = "account_code"
        case orderNumber = "order_number"
        case sku
        case amount
        case expiresOn = "expires_on"
        case issuedAt = "issued_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("gift_card_id", .ref(.eventID), "The gift card's id, from the order, the line and the unit."),
        .required("code", CreditCode.schema, "The code the holder spends it with: a payment of method gift_card with this code as provider_reference."),
        .required("account_code", .ref(.erpAccountCode), "The ERP account that bought it."),
        .required("order_number", .ref(.orderNumber), "The order that bought it; the record key."),
        .required("sku", .ref(.sku), "The gift card article."),
        .required("amount", .money(.positive), "Its value."),
        .optional("expires_on", .date, "The last day it can be spent; absent: no expiry."),
        .required("issued_at", .instant, "When it was issued: when the order was paid in full.")
    )
}
