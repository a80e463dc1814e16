import BusSchema

/// A field customer-sync keeps in step between the ERP and the site. Each has one owner
/// (or is shared), set by the rules.
public enum CustomerField: String, CaseIterable, Codable, Sendable, Comparable, CodingKeyRepresentable {
    /// The company name (b2b), or the person's first and last name (b2c).
    case legalName = "legal_name"
    /// The intra-community VAT number.
    case vatNumber = "vat_number"
    /// The default billing address.
    case billingAddress = "billing_address"
    /// The price list (customer price group).
    case priceList = "price_list"
    /// The payment terms.
    case paymentTerms = "payment_terms"
    /// Whether the account may order: the ERP's account status.
    case blocked
    /// The e-mail (b2b: the contact's).
    case email
    /// The phone (b2b: the contact's).
    case phone
    /// Marketing and profiling consents.
    case consents
    /// The language.
    case language
    /// Every address but the default billing one.
    case deliveryAddresses = "delivery_addresses"

    public static func < (lhs: CustomerField, rhs: CustomerField) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Fields a site account reports (`shop.customer-account`).
    static let reportedBySite: Set<CustomerField> = [.legalName, .vatNumber, .billingAddress, .deliveryAddresses, .email, .phone, .language, .consents]
    /// Fields an ERP account reports (`erp.customer-account`).
    static let reportedByERP: Set<CustomerField> = [.legalName, .vatNumber, .billingAddress, .deliveryAddresses, .priceList, .paymentTerms, .blocked, .email, .phone, .language]
    /// Fields the ERP can be told (`erp.customer-update`).
    static let carriedToERP: Set<CustomerField> = [.legalName, .vatNumber, .billingAddress, .deliveryAddresses, .email, .phone, .language]

    /// Fields the site can be told (`shop.customer-update`): it has a company name but no
    /// person name, so a b2c legal name never reaches it.
    static func carriedToSite(_ kind: CustomerKind) -> Set<CustomerField> {
        var fields: Set<CustomerField> = [.vatNumber, .billingAddress, .deliveryAddresses, .priceList, .paymentTerms, .blocked]
        if kind == .b2b { fields.insert(.legalName) }
        return fields
    }
}

/// The value of one field, as compared between the two sides.
public enum FieldValue: Codable, Sendable, Hashable {
    /// Text: a company name, VAT number, e-mail, phone, price list or terms code.
    case text(String)
    /// A person's name.
    case name(first: String?, last: String?)
    /// One address.
    case address(AccountAddress)
    /// An address list, in the owner's order.
    case addresses([AccountAddress])
    /// An account status.
    case status(AccountStatus)
    /// A language.
    case language(LanguageCode)
    /// Consents, by purpose.
    case consents([Consent])
}

/// One side's values of the synced fields; a field without a value is absent.
public struct CustomerFields: Codable, Sendable, Equatable {
    /// The values, by field.
    public var values: [CustomerField: FieldValue]

    /// Fields with the given values.
    public init(_ values: [CustomerField: FieldValue] = [:]) {
        self.values = values
    }

    /// The value of `field`, or nil when it has none.
    public subscript(field: CustomerField) -> FieldValue? {
        get { values[field] }
        set { values[field] = newValue }
    }

    /// Only the values of `fields`.
    func restricted(to fields: Set<CustomerField>) -> CustomerFields {
        CustomerFields(values.filter { fields.contains($0.key) })
    }

    /// The site account's values. `kind` is the linked ERP account's: it says whether the
    /// legal name is the company name or the person's name.
    static func site(_ account: SiteCustomerAccount, kind: CustomerKind) -> CustomerFields {
        var fields = CustomerFields()
        fields[.legalName] = kind == .b2b ? account.companyName.map(FieldValue.text) : .name(first: account.firstName, last: account.lastName)
        fields[.vatNumber] = account.vatNumber.map(FieldValue.text)
        fields.setAddresses(account.addresses)
        fields[.email] = .text(account.email)
        fields[.phone] = account.phone.map(FieldValue.text)
        fields[.language] = .language(account.language)
        fields[.consents] = .consents(account.consents.sorted { $0.purpose.rawValue < $1.purpose.rawValue })
        return fields
    }

    /// The ERP account's values, with the person fields of `contact` for a b2b link.
    static func erp(_ account: ERPCustomerAccount, contact: ERPContactID?) -> CustomerFields {
        var fields = CustomerFields()
        let person = contact.flatMap { id in account.contacts.first { $0.contactID == id } }
        fields[.legalName] = account.kind == .b2b ? account.companyName.map(FieldValue.text) : .name(first: account.firstName, last: account.lastName)
        fields[.vatNumber] = account.vatNumber.map(FieldValue.text)
        fields.setAddresses(account.addresses)
        fields[.priceList] = account.priceList.map { .text($0.rawValue) }
        fields[.paymentTerms] = account.paymentTerms.map { .text($0.rawValue) }
        fields[.blocked] = .status(account.status)
        fields[.email] = (account.kind == .b2b ? person?.email : account.email).map(FieldValue.text)
        fields[.phone] = (account.kind == .b2b ? person?.phone : account.phone).map(FieldValue.text)
        fields[.language] = .language(account.language)
        return fields
    }

    /// Splits an address book into the default billing address and the others.
    private mutating func setAddresses(_ addresses: [AccountAddress]) {
        let billing = addresses.first(where: \.isDefaultBilling)
        self[.billingAddress] = billing.map(FieldValue.address)
        self[.deliveryAddresses] = .addresses(addresses.filter { $0.addressID != billing?.addressID })
    }

    // MARK: Reading values back for messages

    func text(_ field: CustomerField) -> String? {
        if case .text(let text)? = self[field] { return text }
        return nil
    }

    var personName: (first: String?, last: String?) {
        if case .name(let first, let last)? = self[.legalName] { return (first, last) }
        return (nil, nil)
    }

    var status: AccountStatus? {
        if case .status(let status)? = self[.blocked] { return status }
        return nil
    }

    var language: LanguageCode? {
        if case .language(let language)? = self[.language] { return language }
        return nil
    }

    /// The address book: the billing address first, then the others; a delivery address
    /// flagged default for shipping takes that flag from the billing address, so the book
    /// keeps at most one default of each kind.
    var addressBook: [AccountAddress] {
        var delivery: [AccountAddress] = []
        if case .addresses(let list)? = self[.deliveryAddresses] { delivery = list }
        guard case .address(var billing)? = self[.billingAddress] else { return delivery }
        if delivery.contains(where: \.isDefaultShipping) { billing.isDefaultShipping = false }
        return [billing] + delivery.filter { $0.addressID != billing.addressID }.map {
            var address = $0
            address.isDefaultBilling = false
            return address
        }
    }
}
