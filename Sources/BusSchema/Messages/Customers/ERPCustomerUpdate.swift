/// What the ERP must apply to a customer account, from customer-sync (topic `erp.customer-updates`, key: the ERP account code, or `site:<site account id>` for a create).
/// Each update carries every field the bus syncs (absent: none), so the latest record per key is enough on this compacted topic.
public struct ERPCustomerUpdate: BusMessage {
    /// "erp.customer-update".
    public static let messageType = "erp.customer-update"
    /// Version 1.
    public static let schemaVersion = 1
    /// A change the ERP must apply to a customer account.
    public static let summary = "A change the ERP must apply to a customer account."

    /// The update's id; the ERP ignores an id it already applied.
    public var updateID: EventID
    /// create a new account, update one, or erase (anonymise) one.
    public var action: ERPUpdateAction
    /// The account to change; absent only for create (the ERP allocates the code and publishes it on erp.customers).
    public var accountCode: ERPAccountCode?
    /// The site account the change comes from.
    public var siteAccountID: SiteAccountID
    /// For create: b2b or b2c.
    public var kind: CustomerKind?
    /// The company's name.
    public var companyName: String?
    /// The VAT number.
    public var vatNumber: String?
    /// First name.
    public var firstName: String?
    /// Last name; required for create.
    public var lastName: String?
    /// E-mail; required for create.
    public var email: String?
    /// Phone.
    public var phone: String?
    /// Language.
    public var language: LanguageCode?
    /// The account's addresses as the bus syncs them; empty for none and for erase.
    public var addresses: [AccountAddress]
    /// When the change was made on the site.
    public var changedAt: Instant
    /// b2b: the contact person the person fields (names, e-mail, phone) and an erase are about; absent for the company itself.
    public var contactID: ERPContactID?

    /// A value with every field given; optional fields default to absent.
    public init(
        updateID: EventID,
        action: ERPUpdateAction,
        accountCode: ERPAccountCode? = nil,
        siteAccountID: SiteAccountID,
        kind: CustomerKind? = nil,
        companyName: String? = nil,
        vatNumber: String? = nil,
        firstName: String? = nil,
        lastName: String? = nil,
        email: String? = nil,
        phone: String? = nil,
        language: LanguageCode? = nil,
        addresses: [AccountAddress],
        changedAt: Instant,
        contactID: ERPContactID? = nil
    ) {
        self.updateID = updateID
        self.action = action
        self.accountCode = accountCode
        self.siteAccountID = siteAccountID
        self.kind = kind
        self.companyName = companyName
        self.vatNumber = vatNumber
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
        self.language = language
        self.addresses = addresses
        self.changedAt = changedAt
        self.contactID = contactID
    }

    private enum CodingKeys: String, CodingKey {
        case updateID = "update_id"
        case action
        case accountCode = "account_code"
        case siteAccountID = "site_account_id"
        case kind
        case companyName = "company_name"
        case vatNumber = "vat_number"
        case firstName = "first_name"
        case lastName = "last_name"
        case email
        case phone
        case language
        case addresses
        case changedAt = "changed_at"
        case contactID = "contact_id"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("update_id", .ref(.eventID), "The update's id; the ERP ignores an id it already applied."),
        .required("action", .oneOf(ERPUpdateAction.self), "create a new account, update one, or erase (anonymise) one."),
        .optional("account_code", .ref(.erpAccountCode), "The account to change; absent only for create (the ERP allocates the code and publishes it on erp.customers)."),
        .required("site_account_id", .ref(.siteAccountID), "The site account the change comes from."),
        .optional("kind", .oneOf(CustomerKind.self), "For create: b2b or b2c."),
        .optional("company_name", .text(maximumLength: 100), "The company's name."),
        .optional("vat_number", .ref(.vatNumber), "The VAT number."),
        .optional("first_name", .text(maximumLength: 100), "First name."),
        .optional("last_name", .text(maximumLength: 100), "Last name; required for create."),
        .optional("email", .ref(.email), "E-mail; required for create."),
        .optional("phone", .ref(.phone), "Phone."),
        .optional("language", .ref(.languageCode), "Language."),
        .required("addresses", .list(AccountAddress.schema), "The account's addresses as the bus syncs them; empty for none and for erase."),
        .required("changed_at", .instant, "When the change was made on the site."),
        .optional("contact_id", .ref(.erpContactID), "b2b: the contact person the person fields (names, e-mail, phone) and an erase are about; absent for the company itself.")
    )

    /// create has no account code and has kind, last name and e-mail; update and erase have an account code; erase carries no personal data.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        switch action {
        case .create:
            check.expect(accountCode == nil, root.key("account_code"), .inconsistent(rule: "a create has no account code: the ERP allocates it"))
            check.expect(kind != nil, root.key("kind"), .missing)
            check.expect(lastName != nil, root.key("last_name"), .missing)
            check.expect(email != nil, root.key("email"), .missing)
        case .update:
            check.expect(accountCode != nil, root.key("account_code"), .missing)
        case .erase:
            check.expect(accountCode != nil, root.key("account_code"), .missing)
            let personal = [companyName, vatNumber, firstName, lastName, email, phone].contains { $0 != nil } || !addresses.isEmpty
            check.expect(!personal, root, .inconsistent(rule: "an erase carries no personal data"))
        }

        check.unique(addresses.map(\.addressID), { root.key("addresses").index($0).key("address_id") }, "address id")
        check.atMostOne(addresses.map(\.isDefaultBilling), { root.key("addresses").index($0).key("is_default_billing") }, "default billing address")
        check.atMostOne(addresses.map(\.isDefaultShipping), { root.key("addresses").index($0).key("is_default_shipping") }, "default shipping address")
        return check.problems
    }
}

/// What to do to an ERP account.
public enum ERPUpdateAction: String, Codable, Sendable, Hashable, CaseIterable {
    /// Create an account (its code is allocated by the ERP).
    case create
    /// Change the fields given.
    case update
    /// Anonymise the account's personal data (keeping accounting records).
    case erase
}
