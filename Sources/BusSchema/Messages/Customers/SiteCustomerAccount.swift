/// A customer account as the site holds it, published on every change (topic `shop.customers`, key: the site account id).
/// Sent whole each time; the latest record per key is the truth.
public struct SiteCustomerAccount: BusMessage {
    /// "shop.customer-account".
    public static let messageType = "shop.customer-account"
    /// Version 1.
    public static let schemaVersion = 1
    /// A customer account as the site holds it, sent whole on every change.
    public static let summary = "A customer account as the site holds it, sent whole on every change."

    /// The account's id on the site; the record key.
    public var siteAccountID: SiteAccountID
    /// The login e-mail.
    public var email: String
    /// Whether the customer proved they own the e-mail; only verified e-mails are used to match ERP accounts.
    public var emailVerified: Bool
    /// Phone.
    public var phone: String?
    /// First name.
    public var firstName: String
    /// Last name.
    public var lastName: String
    /// The company, when the customer buys for one.
    public var companyName: String?
    /// The company's VAT number, when given.
    public var vatNumber: String?
    /// The customer's language.
    public var language: LanguageCode
    /// The address book; at most one default for billing and one for shipping.
    public var addresses: [AccountAddress]
    /// The customer's consents, one per purpose.
    public var consents: [Consent]
    /// When the account was created.
    public var createdAt: Instant
    /// When it last changed.
    public var updatedAt: Instant
    /// Who made that change: site, or bus when it applied a change coming from the ERP.
    public var source: ChangeSource

    /// A value with every field given; optional fields default to absent.
    public init(
        siteAccountID: SiteAccountID,
        email: String,
        emailVerified: Bool,
        phone: String? = nil,
        firstName: String,
        lastName: String,
        companyName: String? = nil,
        vatNumber: String? = nil,
        language: LanguageCode,
        addresses: [AccountAddress],
        consents: [Consent],
        createdAt: Instant,
        updatedAt: Instant,
        source: ChangeSource
    ) {
        self.siteAccountID = siteAccountID
        self.email = email
        self.emailVerified = emailVerified
        self.phone = phone
        self.firstName = firstName
        self.lastName = lastName
        self.companyName = companyName
        self.vatNumber = vatNumber
        self.language = language
        self.addresses = addresses
        self.consents = consents
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.source = source
    }

    private enum CodingKeys: String, CodingKey {
        case siteAccountID = "site_account_id"
        case email
        case emailVerified = "email_verified"
        case phone
        case firstName = "first_name"
        case lastName = "last_name"
        case companyName = "company_name"
        case vatNumber = "vat_number"
        case language
        case addresses
        case consents
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case source
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("site_account_id", .ref(.siteAccountID), "The account's id on the site; the record key."),
        .required("email", .ref(.email), "The login e-mail."),
        .required("email_verified", .boolean, "Whether the customer proved they own the e-mail; only verified e-mails are used to match ERP accounts."),
        .optional("phone", .ref(.phone), "Phone."),
        .required("first_name", .text(maximumLength: 100), "First name."),
        .required("last_name", .text(maximumLength: 100), "Last name."),
        .optional("company_name", .text(maximumLength: 100), "The company, when the customer buys for one."),
        .optional("vat_number", .ref(.vatNumber), "The company's VAT number, when given."),
        .required("language", .ref(.languageCode), "The customer's language."),
        .required("addresses", .list(AccountAddress.schema), "The address book; at most one default for billing and one for shipping."),
        .required("consents", .list(Consent.schema), "The customer's consents, one per purpose."),
        .required("created_at", .instant, "When the account was created."),
        .required("updated_at", .instant, "When it last changed."),
        .required("source", .oneOf(ChangeSource.self), "Who made that change: site, or bus when it applied a change coming from the ERP.")
    )

    /// Address ids, defaults and consent purposes are unique.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.unique(addresses.map(\.addressID), { root.key("addresses").index($0).key("address_id") }, "address id")
        check.atMostOne(addresses.map(\.isDefaultBilling), { root.key("addresses").index($0).key("is_default_billing") }, "default billing address")
        check.atMostOne(addresses.map(\.isDefaultShipping), { root.key("addresses").index($0).key("is_default_shipping") }, "default shipping address")

        check.unique(consents.map(\.purpose), { root.key("consents").index($0).key("purpose") }, "consent purpose")
        return check.problems
    }
}

/// A customer's answer for one purpose.
public struct Consent: Codable, Sendable, Hashable {
    /// What the consent is for.
    public var purpose: ConsentPurpose
    /// Whether the customer agreed.
    public var granted: Bool
    /// When the customer last answered.
    public var updatedAt: Instant

    /// A value with every field given.
    public init(purpose: ConsentPurpose, granted: Bool, updatedAt: Instant) {
        self.purpose = purpose
        self.granted = granted
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case purpose
        case granted
        case updatedAt = "updated_at"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("purpose", .oneOf(ConsentPurpose.self), "What the consent is for."),
        .required("granted", .boolean, "Whether the customer agreed."),
        .required("updated_at", .instant, "When the customer last answered.")
    )
}

/// What a consent is for.
public enum ConsentPurpose: String, Codable, Sendable, Hashable, CaseIterable {
    /// Marketing e-mails.
    case marketingEmail = "marketing_email"
    /// Marketing text messages.
    case marketingSms = "marketing_sms"
    /// Personalisation from the customer's behaviour.
    case profiling
    /// Sharing with partners.
    case thirdPartySharing = "third_party_sharing"
}
