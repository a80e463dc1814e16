/// A customer account as the ERP holds it, published on every change (topic `erp.customers`, key: the account code).
/// The whole account is sent each time (state transfer), so the latest record per key is the truth.
public struct ERPCustomerAccount: BusMessage {
    /// "erp.customer-account".
    public static let messageType = "erp.customer-account"
    /// Version 1.
    public static let schemaVersion = 1
    /// A customer account as the ERP holds it, sent whole on every change.
    public static let summary = "A customer account as the ERP holds it, sent whole on every change."

    /// The account's code in the ERP; the record key.
    public var accountCode: ERPAccountCode
    /// b2b for a company (its people are contacts), b2c for a private person.
    public var kind: CustomerKind
    /// Whether the account may order: a blocked or closed account's orders are held blocked_account.
    public var status: AccountStatus
    /// The company's name; required for b2b.
    public var companyName: String?
    /// The company's intra-community VAT number.
    public var vatNumber: String?
    /// b2c: the person's first name.
    public var firstName: String?
    /// b2c: the person's last name; required for b2c.
    public var lastName: String?
    /// b2c: the person's e-mail; b2b: the accounts-payable e-mail.
    public var email: String?
    /// The main phone number.
    public var phone: String?
    /// The language documents and messages are written in.
    public var language: LanguageCode
    /// The account's currency: its orders and invoices are in it.
    public var currency: Currency
    /// The price list that applies to the account; absent for the public prices.
    public var priceList: PriceListCode?
    /// The ERP's payment terms code (PREPAID, NET30, ...).
    public var paymentTerms: Code?
    /// b2b on account: the most the account may owe, invoiced or not (absent: no limit set).
    public var creditLimit: Money?
    /// The account's addresses; at most one default for billing and one for shipping.
    public var addresses: [AccountAddress]
    /// b2b: the people of the company, each with their own id; empty for b2c.
    public var contacts: [ERPContact]
    /// When the account last changed in the ERP.
    public var updatedAt: Instant
    /// Who made that change: erp, or bus when it applied a change coming from the site.
    public var source: ChangeSource
    /// The site account this account was created from, when the ERP created it at the bus's request (the create's site_account_id).
    public var siteAccountID: SiteAccountID?

    /// A value with every field given; optional fields default to absent.
    public init(
        accountCode: ERPAccountCode,
        kind: CustomerKind,
        status: AccountStatus,
        companyName: String? = nil,
        vatNumber: String? = nil,
        firstName: String? = nil,
        lastName: String? = nil,
        email: String? = nil,
        phone: String? = nil,
        language: LanguageCode,
        currency: Currency,
        priceList: PriceListCode? = nil,
        paymentTerms: Code? = nil,
        creditLimit: Money? = nil,
        addresses: [AccountAddress],
        contacts: [ERPContact],
        updatedAt: Instant,
        source: ChangeSource,
        siteAccountID: SiteAccountID? = nil
    ) {
        self.accountCode = accountCode
        self.kind = kind
        self.status = status
        self.companyName = companyName
        self.vatNumber = vatNumber
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
        self.language = language
        self.currency = currency
        self.priceList = priceList
        self.paymentTerms = paymentTerms
        self.creditLimit = creditLimit
        self.addresses = addresses
        self.contacts = contacts
        self.updatedAt = updatedAt
        self.source = source
        self.siteAccountID = siteAccountID
    }

    private enum CodingKeys: String, CodingKey {
        case accountCode = "account_code"
        case kind
        case status
        case companyName = "company_name"
        case vatNumber = "vat_number"
        case firstName = "first_name"
        case lastName = "last_name"
        case email
        case phone
        case language
        case currency
        case priceList = "price_list"
        case paymentTerms = "payment_terms"
        case creditLimit = "credit_limit"
        case addresses
        case contacts
        case updatedAt = "updated_at"
        case source
        case siteAccountID = "site_account_id"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("account_code", .ref(.erpAccountCode), "The account's code in the ERP; the record key."),
        .required("kind", .oneOf(CustomerKind.self), "b2b for a company (its people are contacts), b2c for a private person."),
        .required("status", .oneOf(AccountStatus.self), "Whether the account may order."),
        .optional("company_name", .text(maximumLength: 100), "The company's name; required for b2b."),
        .optional("vat_number", .ref(.vatNumber), "The company's intra-community VAT number."),
        .optional("first_name", .text(maximumLength: 100), "b2c: the person's first name."),
        .optional("last_name", .text(maximumLength: 100), "b2c: the person's last name; required for b2c."),
        .optional("email", .ref(.email), "b2c: the person's e-mail; b2b: the accounts-payable e-mail."),
        .optional("phone", .ref(.phone), "The main phone number."),
        .required("language", .ref(.languageCode), "The language documents and messages are written in."),
        .required("currency", .ref(.currencyCode), "The account's currency: its orders and invoices are in it."),
        .optional("price_list", .ref(.priceListCode), "The price list that applies to the account; absent for the public prices."),
        .optional("payment_terms", .ref(.code), "The ERP's payment terms code (PREPAID, NET30, ...): terms other than order-ingest's payment_terms rule (PREPAID) let the account order on account."),
        .optional("credit_limit", .money(.nonNegative), "b2b on account: the most the account may owe, invoiced or not; an order on account beyond it is held credit_limit_exceeded (absent: no limit set)."),
        .required("addresses", .list(AccountAddress.schema), "The account's addresses; at most one default for billing and one for shipping."),
        .required("contacts", .list(ERPContact.schema), "b2b: the people of the company, each with their own id; empty for b2c."),
        .required("updated_at", .instant, "When the account last changed in the ERP."),
        .required("source", .oneOf(ChangeSource.self), "Who made that change: erp, or bus when it applied a change coming from the site."),
        .optional("site_account_id", .ref(.siteAccountID), "The site account this account was created from, when the ERP created it at the bus's request (the create's site_account_id).")
    )

    /// b2b accounts have a company name, b2c a last name; ids and defaults are unique.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        if kind == .b2b { check.expect(companyName != nil, root.key("company_name"), .missing) }
        if kind == .b2c { check.expect(lastName != nil, root.key("last_name"), .missing) }

        check.unique(addresses.map(\.addressID), { root.key("addresses").index($0).key("address_id") }, "address id")
        check.atMostOne(addresses.map(\.isDefaultBilling), { root.key("addresses").index($0).key("is_default_billing") }, "default billing address")
        check.atMostOne(addresses.map(\.isDefaultShipping), { root.key("addresses").index($0).key("is_default_shipping") }, "default shipping address")

        check.unique(contacts.map(\.contactID), { root.key("contacts").index($0).key("contact_id") }, "contact id")
        check.atMostOne(contacts.map(\.isPrimary), { root.key("contacts").index($0).key("is_primary") }, "primary contact")
        return check.problems
    }
}

/// A person of a b2b customer account.
public struct ERPContact: Codable, Sendable, Hashable {
    /// The contact's id in the ERP, unique within the account.
    public var contactID: ERPContactID
    /// First name.
    public var firstName: String
    /// Last name.
    public var lastName: String
    /// E-mail; how the bus matches a site account to this contact.
    public var email: String?
    /// Phone.
    public var phone: String?
    /// The person's role (purchasing, accounting, ...), as free text.
    public var role: String?
    /// Whether this is the account's main contact (at most one).
    public var isPrimary: Bool

    /// A value with every field given; optional fields default to absent.
    public init(
        contactID: ERPContactID,
        firstName: String,
        lastName: String,
        email: String? = nil,
        phone: String? = nil,
        role: String? = nil,
        isPrimary: Bool
    ) {
        self.contactID = contactID
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phone = phone
        self.role = role
        self.isPrimary = isPrimary
    }

    private enum CodingKeys: String, CodingKey {
        case contactID = "contact_id"
        case firstName = "first_name"
        case lastName = "last_name"
        case email
        case phone
        case role
        case isPrimary = "is_primary"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("contact_id", .ref(.erpContactID), "The contact's id in the ERP, unique within the account."),
        .required("first_name", .text(maximumLength: 100), "First name."),
        .required("last_name", .text(maximumLength: 100), "Last name."),
        .optional("email", .ref(.email), "E-mail; how the bus matches a site account to this contact."),
        .optional("phone", .ref(.phone), "Phone."),
        .optional("role", .text(maximumLength: 100), "The person's role (purchasing, accounting, ...), as free text."),
        .required("is_primary", .boolean, "Whether this is the account's main contact (at most one).")
    )
}
