/// An address kept in a customer account, with its role.
public struct AccountAddress: Codable, Sendable, Hashable {
    /// The address id within the account; stable across updates.
    public var addressID: Code
    /// The address.
    public var address: PostalAddress
    /// Whether invoices go to this address by default (at most one per account).
    public var isDefaultBilling: Bool
    /// Whether deliveries go to this address by default (at most one per account).
    public var isDefaultShipping: Bool

    /// A value with every field given.
    public init(addressID: Code, address: PostalAddress, isDefaultBilling: Bool, isDefaultShipping: Bool) {
        self.addressID = addressID
        self.address = address
        self.isDefaultBilling = isDefaultBilling
        self.isDefaultShipping = isDefaultShipping
    }

    private enum CodingKeys: String, CodingKey {
        case addressID = "address_id"
        case address
        case isDefaultBilling = "is_default_billing"
        case isDefaultShipping = "is_default_shipping"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("address_id", .ref(.code), "The address id within the account; stable across updates."),
        .required("address", PostalAddress.schema, "The address."),
        .required("is_default_billing", .boolean, "Whether invoices go to this address by default (at most one per account)."),
        .required("is_default_shipping", .boolean, "Whether deliveries go to this address by default (at most one per account).")
    )
}

/// Whether an account is a company or a person.
public enum CustomerKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// A company account (business customer); contacts are its people.
    case b2b
    /// A private person.
    case b2c
}

/// Who made the last change to a record, so a worker can tell its own echoes from real changes.
public enum ChangeSource: String, Codable, Sendable, Hashable, CaseIterable {
    /// A person or a job in the ERP.
    case erp
    /// The customer or staff on the site.
    case site
    /// The bus, applying a change that came from the other side.
    case bus
}

/// Whether an account may order.
public enum AccountStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// May order.
    case active
    /// May not order for now (credit hold, fraud review).
    case blocked
    /// Closed for good.
    case closed
}
