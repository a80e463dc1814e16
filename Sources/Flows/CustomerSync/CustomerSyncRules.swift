import BusSchema

/// Who decides a field's value.
public enum FieldOwner: String, Codable, Sendable, Hashable, CaseIterable {
    /// The ERP's value wins; the site's changes do not travel.
    case erp
    /// The site's value wins; the ERP's changes do not travel.
    case site
    /// The side that changed it last (by `updated_at`) wins.
    case shared
}

/// The rules of customer-sync, read from the JSON file named by `BUS_CONFIG`.
///
/// Every field has a default (`defaults`), so a file lists only what it changes, down to a
/// single field owner. A value of the wrong type or a field name this type does not know is
/// an error rather than a silent default.
public struct CustomerSyncRules: Decodable, Sendable, Equatable {
    /// The owner of each synced field. Defaults: the ERP owns legal name, VAT number, billing
    /// address, price list, payment terms and the blocked flag; the site owns e-mail, phone,
    /// consents, language and delivery addresses; none is shared.
    public var owners: [CustomerField: FieldOwner]
    /// Two changes to a shared field whose `updated_at` are this close (or closer) cannot be
    /// ordered: a person decides. Default: 2000 ms.
    public var orderingToleranceMs: Int
    /// Whether a site account whose e-mail is not verified is matched and created in the ERP.
    /// Default: false (it waits until verified).
    public var matchUnverifiedEmail: Bool

    /// The rules when no file is given, and the value of every field a file leaves out.
    public static let defaults = CustomerSyncRules(
        owners: [
            .legalName: .erp, .vatNumber: .erp, .billingAddress: .erp, .priceList: .erp, .paymentTerms: .erp, .blocked: .erp,
            .email: .site, .phone: .site, .consents: .site, .language: .site, .deliveryAddresses: .site,
        ],
        orderingToleranceMs: 2000, matchUnverifiedEmail: false)

    /// Rules with every field given; a field missing from `owners` belongs to the site.
    public init(owners: [CustomerField: FieldOwner], orderingToleranceMs: Int, matchUnverifiedEmail: Bool) {
        self.owners = owners
        self.orderingToleranceMs = orderingToleranceMs
        self.matchUnverifiedEmail = matchUnverifiedEmail
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case owners
        case orderingToleranceMs = "ordering_tolerance_ms"
        case matchUnverifiedEmail = "match_unverified_email"
    }

    /// Reads a rules file: absent fields (and absent owners) take their default; unknown names are refused.
    public init(from decoder: any Decoder) throws {
        try FlowRulesKeys.refuseUnknown(in: decoder, known: CodingKeys.allCases.map(\.stringValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.defaults
        let listed = try container.decode([CustomerField: FieldOwner].self, forKey: .owners, default: [:])
        owners = defaults.owners.merging(listed) { _, listed in listed }
        orderingToleranceMs = try container.decode(Int.self, forKey: .orderingToleranceMs, default: defaults.orderingToleranceMs)
        guard orderingToleranceMs >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .orderingToleranceMs, in: container, debugDescription: "must be zero or more")
        }
        matchUnverifiedEmail = try container.decode(Bool.self, forKey: .matchUnverifiedEmail, default: defaults.matchUnverifiedEmail)
    }

    /// Who owns `field` for an account of `kind`. A company's address book and language are
    /// the company's (the ERP keeps one per account): one contact's site account cannot own
    /// them, or two contacts who disagree would each win in turn without end, so for b2b the
    /// ERP owns delivery addresses and language whatever the configuration says.
    public func owner(of field: CustomerField, kind: CustomerKind) -> FieldOwner {
        if kind == .b2b, field == .deliveryAddresses || field == .language { return .erp }
        return owners[field] ?? .site
    }
}
