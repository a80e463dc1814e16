/// Store credit given to a customer, from payment-letterer (topic `erp.lettering`, key: the order number): an overpayment kept, or a refund as store credit.
public struct StoreCreditIssued: BusMessage {
    /// "erp.store-credit-issued".
    public static let messageType = "erp.store-credit-issued"
    /// Version 1.
    public static let schemaVersion = 1
    /// Store credit given to a customer.
    public static let summary = "Store credit given to a customer."

    /// The store credit's id.
    public var storeCreditID: EventID
    /// The ERP account credited.
    public var accountCode: ERPAccountCode
    /// The site account that can spend it, if linked.
    public var siteAccountID: SiteAccountID?
    /// The order it comes from; the record key.
    public var orderNumber: OrderNumber
    /// The credit.
    public var amount: Money
    /// Why.
    public var reason: StoreCreditReason
    /// The credit note it comes from, if any.
    public var creditNoteNumber: CreditNoteNumber?
    /// The last day it can be spent; absent: no expiry.
    public var expiresOn: LocalDate?
    /// When it was issued.
    public var issuedAt: Instant
    /// The code the customer spends it with (a payment of method `credit_note` with this code
    /// as its provider reference); absent in credit issued before codes existed.
    public var code: CreditCode?

    /// A value with every field given; optional fields default to absent.
    public init(
        storeCreditID: EventID,
        accountCode: ERPAccountCode,
        siteAccountID: SiteAccountID? = nil,
        orderNumber: OrderNumber,
        amount: Money,
        reason: StoreCreditReason,
        creditNoteNumber: CreditNoteNumber? = nil,
        expiresOn: LocalDate? = nil,
        issuedAt: Instant,
        code: CreditCode? = nil
    ) {
        self.storeCreditID = storeCreditID
        self.accountCode = accountCode
        self.siteAccountID = siteAccountID
        self.orderNumber = orderNumber
        self.amount = amount
        self.reason = reason
        self.creditNoteNumber = creditNoteNumber
        self.expiresOn = expiresOn
        self.issuedAt = issuedAt
        self.code = code
    }

    private enum CodingKeys: String, CodingKey {
        case storeCreditID = "store_credit_id"
        case accountCode = "account_code"
        case siteAccountID = "site_account_id"
        case orderNumber = "order_number"
        case amount
        case reason
        case creditNoteNumber = "credit_note_number"
        case expiresOn = "expires_on"
        case issuedAt = "issued_at"
        case code
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("store_credit_id", .ref(.eventID), "The store credit's id."),
        .required("account_code", .ref(.erpAccountCode), "The ERP account credited."),
        .optional("site_account_id", .ref(.siteAccountID), "The site account that can spend it, if linked."),
        .required("order_number", .ref(.orderNumber), "The order it comes from; the record key."),
        .required("amount", .money(.positive), "The credit."),
        .required("reason", .oneOf(StoreCreditReason.self), "Why."),
        .optional("credit_note_number", .ref(.creditNoteNumber), "The credit note it comes from, if any."),
        .optional("expires_on", .date, "The last day it can be spent; absent: no expiry."),
        .required("issued_at", .instant, "When it was issued."),
        .optional("code", CreditCode.schema, "The code the customer spends it with: a payment of method credit_note with this code as provider_reference.")
    )
}

/// Why store credit is given.
public enum StoreCreditReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// The customer paid more than invoiced.
    case overpayment
    /// A return refunded as store credit.
    case `return` = "return"
    /// A commercial gesture.
    case goodwill
}
