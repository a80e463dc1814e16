/// The link between a site account and an ERP account, kept by customer-sync (topic `bus.customer-identity`, key: the site account id).
/// order-ingest reads it as a table to find the ERP account of an order.
public struct IdentityLink: BusMessage {
    /// "bus.identity-link".
    public static let messageType = "bus.identity-link"
    /// Version 1.
    public static let schemaVersion = 1
    /// The link between a site account and an ERP account.
    public static let summary = "The link between a site account and an ERP account."

    /// The site account; the record key.
    public var siteAccountID: SiteAccountID
    /// The ERP account: for b2b, the company.
    public var erpAccountCode: ERPAccountCode
    /// b2b: the contact person within the company account that this site account is.
    public var erpContactID: ERPContactID?
    /// linked, or unlinked (erased, merged or corrected by an operator).
    public var status: LinkStatus
    /// How the two accounts were found to be the same customer.
    public var matchedBy: LinkMatch
    /// When the link was made or undone.
    public var changedAt: Instant
    /// The ERP account's price list: the customer is entitled to its prices (absent: public prices only).
    public var priceList: PriceListCode?
    /// The ERP account's payment terms (what order-ingest needs to take an order on account).
    public var paymentTerms: Code?
    /// The ERP account's credit limit for orders on account (absent: none set).
    public var creditLimit: Money?
    /// The ERP account's status: a blocked or closed account's orders are held (absent: not known, taken as active).
    public var accountStatus: AccountStatus?

    /// A value with every field given; optional fields default to absent.
    public init(
        siteAccountID: SiteAccountID,
        erpAccountCode: ERPAccountCode,
        erpContactID: ERPContactID? = nil,
        status: LinkStatus,
        matchedBy: LinkMatch,
        changedAt: Instant,
        priceList: PriceListCode? = nil,
        paymentTerms: Code? = nil,
        creditLimit: Money? = nil,
        accountStatus: AccountStatus? = nil
    ) {
        self.priceList = priceList
        self.paymentTerms = paymentTerms
        self.creditLimit = creditLimit
        self.accountStatus = accountStatus
        self.siteAccountID = siteAccountID
        self.erpAccountCode = erpAccountCode
        self.erpContactID = erpContactID
        self.status = status
        self.matchedBy = matchedBy
        self.changedAt = changedAt
    }

    private enum CodingKeys: String, CodingKey {
        case siteAccountID = "site_account_id"
        case erpAccountCode = "erp_account_code"
        case erpContactID = "erp_contact_id"
        case status
        case matchedBy = "matched_by"
        case changedAt = "changed_at"
        case priceList = "price_list"
        case paymentTerms = "payment_terms"
        case creditLimit = "credit_limit"
        case accountStatus = "account_status"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("site_account_id", .ref(.siteAccountID), "The site account; the record key."),
        .required("erp_account_code", .ref(.erpAccountCode), "The ERP account: for b2b, the company."),
        .optional("erp_contact_id", .ref(.erpContactID), "b2b: the contact person within the company account that this site account is."),
        .required("status", .oneOf(LinkStatus.self), "linked, or unlinked (erased, merged or corrected by an operator)."),
        .required("matched_by", .oneOf(LinkMatch.self), "How the two accounts were found to be the same customer."),
        .required("changed_at", .instant, "When the link was made or undone."),
        .optional("price_list", .ref(.priceListCode), "The ERP account's price list: the customer is entitled to its prices (absent: public prices only). Sent again when the account's price list changes."),
        .optional("payment_terms", .ref(.code), "The ERP account's payment terms: terms other than order-ingest's prepaid terms let the customer order on account. Sent again when they change."),
        .optional("credit_limit", .money(.nonNegative), "The ERP account's credit limit for orders on account (absent: none). Sent again when it changes."),
        .optional("account_status", .oneOf(AccountStatus.self), "The ERP account's status: blocked or closed holds its orders (absent: active). Sent again when it changes.")
    )
}

/// Whether a link holds.
public enum LinkStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// The accounts are the same customer.
    case linked
    /// They are no longer linked.
    case unlinked
}

/// How two accounts were matched.
public enum LinkMatch: String, Codable, Sendable, Hashable, CaseIterable {
    /// The ERP account was created from the site account.
    case createdInErp = "created_in_erp"
    /// Same verified e-mail.
    case email
    /// Same VAT number (b2b).
    case vatNumber = "vat_number"
    /// An operator linked them.
    case manual
}
