/// What the site must apply to a customer account, from customer-sync (topic `shop.customer-updates`, key: the site account id).
/// Carries what the ERP owns (commercial terms, company data, addresses), every field each time (absent: none), so the latest record per key is enough on this compacted topic.
public struct SiteCustomerUpdate: BusMessage {
    /// "shop.customer-update".
    public static let messageType = "shop.customer-update"
    /// Version 1.
    public static let schemaVersion = 1
    /// A change the site must apply to a customer account.
    public static let summary = "A change the site must apply to a customer account."

    /// The update's id; the site ignores an id it already applied.
    public var updateID: EventID
    /// update the fields given, or erase the account's personal data.
    public var action: SiteUpdateAction
    /// The account to change; the record key.
    public var siteAccountID: SiteAccountID
    /// The ERP account it is linked to.
    public var erpAccountCode: ERPAccountCode?
    /// Whether the account may order (blocked: the site refuses checkout).
    public var status: AccountStatus?
    /// The company's name as the ERP has it.
    public var companyName: String?
    /// The VAT number as the ERP has it.
    public var vatNumber: String?
    /// The price list (customer price group) the site must apply.
    public var priceList: PriceListCode?
    /// The payment terms (PREPAID, NET30, ...): decides which payment methods the site offers.
    public var paymentTerms: Code?
    /// The credit limit for orders on account.
    public var creditLimit: Money?
    /// The account's addresses as the bus syncs them; empty for none and for erase.
    public var addresses: [AccountAddress]
    /// When the change was made in the ERP.
    public var changedAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        updateID: EventID,
        action: SiteUpdateAction,
        siteAccountID: SiteAccountID,
        erpAccountCode: ERPAccountCode? = nil,
        status: AccountStatus? = nil,
        companyName: String? = nil,
        vatNumber: String? = nil,
        priceList: PriceListCode? = nil,
        paymentTerms: Code? = nil,
        creditLimit: Money? = nil,
        addresses: [AccountAddress],
        changedAt: Instant
    ) {
        self.updateID = updateID
        self.action = action
        self.siteAccountID = siteAccountID
        self.erpAccountCode = erpAccountCode
        self.status = status
        self.companyName = companyName
        self.vatNumber = vatNumber
        self.priceList = priceList
        self.paymentTerms = paymentTerms
        self.creditLimit = creditLimit
        self.addresses = addresses
        self.changedAt = changedAt
    }

    private enum CodingKeys: String, CodingKey {
        case updateID = "update_id"
        case action
        case siteAccountID = "site_account_id"
        case erpAccountCode = "erp_account_code"
        case status
        case companyName = "company_name"
        case vatNumber = "vat_number"
        case priceList = "price_list"
        case paymentTerms = "payment_terms"
        case creditLimit = "credit_limit"
        case addresses
        case changedAt = "changed_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("update_id", .ref(.eventID), "The update's id; the site ignores an id it already applied."),
        .required("action", .oneOf(SiteUpdateAction.self), "update the fields given, or erase the account's personal data."),
        .required("site_account_id", .ref(.siteAccountID), "The account to change; the record key."),
        .optional("erp_account_code", .ref(.erpAccountCode), "The ERP account it is linked to."),
        .optional("status", .oneOf(AccountStatus.self), "Whether the account may order (blocked: the site refuses checkout)."),
        .optional("company_name", .text(maximumLength: 100), "The company's name as the ERP has it."),
        .optional("vat_number", .ref(.vatNumber), "The VAT number as the ERP has it."),
        .optional("price_list", .ref(.priceListCode), "The price list (customer price group) the site must apply."),
        .optional("payment_terms", .ref(.code), "The payment terms (PREPAID, NET30, ...): decides which payment methods the site offers."),
        .optional("credit_limit", .money(.nonNegative), "The credit limit for orders on account."),
        .required("addresses", .list(AccountAddress.schema), "The account's addresses as the bus syncs them; empty for none and for erase."),
        .required("changed_at", .instant, "When the change was made in the ERP.")
    )

    /// An erase carries no data but the ids; defaults are unique.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        if action == .erase {
            let data = companyName != nil || vatNumber != nil || priceList != nil || paymentTerms != nil || creditLimit != nil || status != nil
            check.expect(!data && addresses.isEmpty, root, .inconsistent(rule: "an erase carries no data but the ids"))
        }

        check.unique(addresses.map(\.addressID), { root.key("addresses").index($0).key("address_id") }, "address id")
        check.atMostOne(addresses.map(\.isDefaultBilling), { root.key("addresses").index($0).key("is_default_billing") }, "default billing address")
        check.atMostOne(addresses.map(\.isDefaultShipping), { root.key("addresses").index($0).key("is_default_shipping") }, "default shipping address")
        return check.problems
    }
}

/// What to do to a site account.
public enum SiteUpdateAction: String, Codable, Sendable, Hashable, CaseIterable {
    /// Change the fields given.
    case update
    /// Erase the account's personal data.
    case erase
}
