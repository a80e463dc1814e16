import BusSchema
import CustomerSyncFlow
import Testing

/// "Each field has an owner; a change travels from owner to the other side only. Shared fields,
/// if configured, take the later updated-at. Both sides changed an owned field since the last
/// sync → the owner wins; timestamps too close to order → no update, a business exception."
@Suite("customer-sync: field ownership and merge")
struct FieldMergeTests {
    static let a = FieldValue.text("FR11111111111"), b = FieldValue.text("FR22222222222"), c = FieldValue.text("FR33333333333")

    /// One field (`vat_number`, owned by `owner`): what was agreed at the last sync, what each
    /// side shows now and when it changed, and what the bus decides.
    struct Case: CustomTestStringConvertible, Sendable {
        let testDescription: String
        var owner: FieldOwner = .erp
        var agreed: FieldValue?
        var neverSynced = false
        var sentToSite: FieldValue?
        var sentToERP: FieldValue?
        var previouslyDecided: FieldValue?
        let site: FieldValue?
        let erp: FieldValue?
        var siteAt: Instant = Fixture.at(0)
        var erpAt: Instant = Fixture.at(0)
        let expected: FieldMerge.Outcome
    }

    static func decided(_ value: FieldValue?) -> FieldMerge.Outcome {
        var fields = CustomerFields()
        fields[.vatNumber] = value
        return .merged(fields)
    }

    static let cases: [Case] = [
        Case(testDescription: "equal values are agreed", agreed: a, site: b, erp: b, expected: decided(b)),
        Case(testDescription: "ERP-owned: the ERP's change travels to the site", agreed: a, site: a, erp: b, expected: decided(b)),
        Case(testDescription: "ERP-owned: the site's change does not travel (the ERP's value stands)", agreed: a, site: b, erp: a, expected: decided(a)),
        Case(testDescription: "ERP-owned: both changed since the last sync, the owner wins", agreed: a, site: b, erp: c,
             siteAt: Fixture.at(10), erpAt: Fixture.at(0), expected: decided(c)),
        Case(testDescription: "site-owned: the site's change travels to the ERP", owner: .site, agreed: a, site: b, erp: a, expected: decided(b)),
        Case(testDescription: "site-owned: both changed since the last sync, the owner wins", owner: .site, agreed: a, site: b, erp: c,
             siteAt: Fixture.at(0), erpAt: Fixture.at(0), expected: decided(b)),
        Case(testDescription: "shared: only the site changed it, the site's value", owner: .shared, agreed: a, site: b, erp: a, expected: decided(b)),
        Case(testDescription: "shared: only the ERP changed it, the ERP's value", owner: .shared, agreed: a, site: a, erp: b, expected: decided(b)),
        Case(testDescription: "shared: both changed, the later updated_at wins (site)", owner: .shared, agreed: a, site: b, erp: c,
             siteAt: Fixture.at(10), erpAt: Fixture.at(7), expected: decided(b)),
        Case(testDescription: "shared: both changed, the later updated_at wins (ERP)", owner: .shared, agreed: a, site: b, erp: c,
             siteAt: Fixture.at(7), erpAt: Fixture.at(10), expected: decided(c)),
        Case(testDescription: "shared: both changed 2.001 s apart can be ordered", owner: .shared, agreed: a, site: b, erp: c,
             siteAt: Fixture.at(2, ms: 1), erpAt: Fixture.at(0), expected: decided(b)),
        Case(testDescription: "shared: both changed exactly 2 s apart is too close: conflict", owner: .shared, agreed: a, site: b, erp: c,
             siteAt: Fixture.at(2), erpAt: Fixture.at(0), expected: .conflict([.vatNumber])),
        Case(testDescription: "shared: both changed 0.5 s apart: conflict", owner: .shared, agreed: a, site: b, erp: c,
             siteAt: Fixture.at(0, ms: 500), erpAt: Fixture.at(0), expected: .conflict([.vatNumber])),
        Case(testDescription: "shared: the ERP showing what the bus sent it is an echo, not a change", owner: .shared, agreed: a,
             sentToERP: c, site: b, erp: c, siteAt: Fixture.at(0), erpAt: Fixture.at(0), expected: decided(b)),
        Case(testDescription: "shared: the site still shows the last sync while the ERP's change is on its way to it", owner: .shared,
             agreed: a, sentToSite: c, previouslyDecided: c, site: a, erp: c, expected: decided(c)),
        Case(testDescription: "shared: both show what the bus sent them (neither changed), the earlier decision stands", owner: .shared,
             agreed: a, sentToSite: b, sentToERP: c, previouslyDecided: c, site: b, erp: c, expected: decided(c)),
        Case(testDescription: "shared, first sync: the later updated_at wins", owner: .shared, neverSynced: true, site: b, erp: c,
             siteAt: Fixture.at(0), erpAt: Fixture.at(60), expected: decided(c)),
        Case(testDescription: "shared, first sync, too close: conflict", owner: .shared, neverSynced: true, site: b, erp: c,
             expected: .conflict([.vatNumber])),
        Case(testDescription: "a value removed on the owner's side is removed", agreed: a, site: a, erp: nil, expected: decided(nil)),
    ]

    @Test(arguments: cases)
    func vatNumber(_ rule: Case) {
        var rules = CustomerSyncRules.defaults
        rules.owners[.vatNumber] = rule.owner
        var memory: SyncMemory?
        if !rule.neverSynced {
            var synced = SyncMemory()
            synced.agreed[.vatNumber] = rule.agreed
            synced.agreedFields = [.vatNumber]
            synced.merged[.vatNumber] = rule.previouslyDecided
            if let sent = rule.sentToSite { synced.sentToSite = CustomerFields([.vatNumber: sent]) }
            if let sent = rule.sentToERP { synced.sentToERP = CustomerFields([.vatNumber: sent]) }
            memory = synced
        }
        let outcome = FieldMerge.merge(
            site: .init(fields: CustomerFields(rule.site.map { [.vatNumber: $0] } ?? [:]), updatedAt: rule.siteAt),
            erp: .init(fields: CustomerFields(rule.erp.map { [.vatNumber: $0] } ?? [:]), updatedAt: rule.erpAt),
            memory: memory, kind: .b2c, rules: rules)
        #expect(Self.vat(outcome) == Self.vat(rule.expected))
    }

    /// The outcome for `vat_number` only (the other fields are absent on both sides here).
    static func vat(_ outcome: FieldMerge.Outcome) -> String {
        switch outcome {
        case .conflict(let fields): "conflict \(fields)"
        case .merged(let fields): "decided \(String(describing: fields[.vatNumber]))"
        }
    }

    struct OwnerCase: CustomTestStringConvertible, Sendable {
        let field: CustomerField
        let owner: FieldOwner
        var testDescription: String { "by default \(field.rawValue) belongs to the \(owner.rawValue)" }
    }

    @Test(arguments: [
        OwnerCase(field: .legalName, owner: .erp), OwnerCase(field: .vatNumber, owner: .erp), OwnerCase(field: .billingAddress, owner: .erp),
        OwnerCase(field: .priceList, owner: .erp), OwnerCase(field: .paymentTerms, owner: .erp), OwnerCase(field: .blocked, owner: .erp),
        OwnerCase(field: .email, owner: .site), OwnerCase(field: .phone, owner: .site), OwnerCase(field: .consents, owner: .site),
        OwnerCase(field: .language, owner: .site), OwnerCase(field: .deliveryAddresses, owner: .site),
    ])
    func defaultOwners(_ rule: OwnerCase) {
        #expect(CustomerSyncRules.defaults.owner(of: rule.field, kind: .b2c) == rule.owner)
    }

    @Test("a company's delivery addresses and language belong to the ERP whatever the configuration: one contact cannot own them",
          arguments: FieldOwner.allCases, [CustomerField.deliveryAddresses, .language])
    func b2bCompanyFields(_ configured: FieldOwner, _ field: CustomerField) {
        var rules = CustomerSyncRules.defaults
        rules.owners[field] = configured
        #expect(rules.owner(of: field, kind: .b2b) == .erp)
        #expect(rules.owner(of: field, kind: .b2c) == configured)
    }
}
