import BusSchema
import CustomerSyncFlow
import Testing

/// Ownership, conflicts and "no ping-pong: an update the bus caused, coming back from the other
/// side unchanged, produces nothing", on a linked b2c customer.
@Suite("customer-sync: sync between linked accounts")
struct SyncTests {
    /// A bus where acc_1 and C1 are linked and in step.
    static func linked(_ rules: CustomerSyncRules = .defaults) throws -> CustomerBus {
        let bus = CustomerBus(rules)
        try bus.erp(Fixture.erp("C1"))
        try bus.site(Fixture.site())
        return bus
    }

    static var sharedDelivery: CustomerSyncRules {
        var rules = CustomerSyncRules.defaults
        rules.owners[.deliveryAddresses] = .shared
        return rules
    }

    enum Side: Sendable { case site, erp }

    struct Case: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let from: Side
        var site: @Sendable (inout SiteCustomerAccount) -> Void = { _ in }
        var erp: @Sendable (inout ERPCustomerAccount) -> Void = { _ in }
        /// The topics of the outputs, in order.
        let expected: [String]
        /// What the update must say.
        var check: @Sendable ([FlowOutput]) -> Bool = { _ in true }
    }

    static let cases: [Case] = [
        Case(testDescription: "the site's new phone (site-owned) goes to the ERP only",
             from: .site, site: { $0.phone = "+33600000001"; $0.updatedAt = Fixture.at(60) }, expected: [Topics.erpCustomerUpdates],
             check: { $0.first?.erpUpdate?.phone == "+33600000001" && $0.first?.erpUpdate?.accountCode == "C1" && $0.first?.key == "C1" }),
        Case(testDescription: "the site's new delivery address (site-owned) goes to the ERP, after the billing address",
             from: .site, site: { $0.addresses.append(Fixture.address("cottage", "1 chemin Vert")) }, expected: [Topics.erpCustomerUpdates],
             check: { $0.first?.erpUpdate?.addresses.map(\.addressID) == ["home", "work", "cottage"] }),
        Case(testDescription: "the site's new consent (site-owned, carried by no update) goes nowhere",
             from: .site, site: { $0.consents = [] }, expected: []),
        Case(testDescription: "the ERP's new price list (ERP-owned) goes to the site only, and to the identity table order-ingest judges prices by",
             from: .erp, erp: { $0.priceList = "VIP"; $0.updatedAt = Fixture.at(60) }, expected: [Topics.shopCustomerUpdates, Topics.customerIdentity],
             check: { $0.first?.siteUpdate?.priceList == "VIP" && $0.first?.siteUpdate?.changedAt == Fixture.at(60)
                 && ($0.last?.message as? IdentityLink)?.priceList == "VIP" && ($0.last?.message as? IdentityLink)?.status == .linked }),
        Case(testDescription: "the ERP blocking the account goes to the site, and to the identity table order-ingest holds orders by",
             from: .erp, erp: { $0.status = .blocked }, expected: [Topics.shopCustomerUpdates, Topics.customerIdentity],
             check: { $0.first?.siteUpdate?.status == .blocked && ($0.last?.message as? IdentityLink)?.accountStatus == .blocked }),
        Case(testDescription: "the ERP's new credit limit (not shown to the site) goes to the identity table only, with the terms",
             from: .erp, erp: { $0.creditLimit = Money(amount: 500_000, currency: .eur) }, expected: [Topics.customerIdentity],
             check: { ($0.first?.message as? IdentityLink)?.creditLimit == Money(amount: 500_000, currency: .eur)
                 && ($0.first?.message as? IdentityLink)?.paymentTerms == "PREPAID" && ($0.first?.message as? IdentityLink)?.accountStatus == .active }),
        Case(testDescription: "the ERP's new payment terms go to the site, and to the identity table order-ingest takes orders on account by",
             from: .erp, erp: { $0.paymentTerms = "NET30" }, expected: [Topics.shopCustomerUpdates, Topics.customerIdentity],
             check: { $0.first?.siteUpdate?.paymentTerms == "NET30" && ($0.last?.message as? IdentityLink)?.paymentTerms == "NET30" }),
        Case(testDescription: "the ERP's new billing address (ERP-owned) goes to the site",
             from: .erp, erp: { $0.addresses[0] = Fixture.address("home", "5 rue Neuve", billing: true) }, expected: [Topics.shopCustomerUpdates],
             check: { $0.first?.siteUpdate?.addresses.first?.address.lines == ["5 rue Neuve"] }),
        Case(testDescription: "the ERP's new phone (site-owned) does not travel; the ERP is told the site's",
             from: .erp, erp: { $0.phone = "+33600000002" }, expected: [Topics.erpCustomerUpdates],
             check: { $0.first?.erpUpdate?.phone == "+33612345678" }),
        Case(testDescription: "the site's new VAT number (ERP-owned) does not travel; the site is told the ERP's",
             from: .site, site: { $0.vatNumber = "FR99999999999" }, expected: [Topics.shopCustomerUpdates],
             check: { $0.first?.siteUpdate?.vatNumber == nil }),
        Case(testDescription: "a change to a field the bus does not sync (the ERP account's currency) produces nothing",
             from: .erp, erp: { $0.currency = .chf }, expected: []),
    ]

    @Test(arguments: cases)
    func ownership(_ rule: Case) throws {
        let bus = try Self.linked()
        let outputs = rule.from == .site ? try bus.site(Fixture.site(change: rule.site)) : try bus.erp(Fixture.erp("C1", change: rule.erp))
        #expect(outputs.map(\.topic) == rule.expected)
        #expect(rule.check(outputs))
        #expect(outputs.allSatisfy { ($0.erpUpdate?.validate() ?? []).isEmpty && ($0.siteUpdate?.validate() ?? []).isEmpty })
    }

    @Test("no ping-pong: each side applying the bus's update and sending it back unchanged produces nothing")
    func noPingPong() throws {
        let bus = try Self.linked()
        let toERP = try bus.site(Fixture.site { $0.phone = "+33600000001"; $0.updatedAt = Fixture.at(60) })
        #expect(toERP.compactMap(\.erpUpdate).count == 1)
        // The ERP applies it and publishes the account, marked as changed by the bus.
        #expect(try bus.erp(Fixture.erp("C1") { $0.phone = "+33600000001"; $0.source = .bus; $0.updatedAt = Fixture.at(61) }).isEmpty)

        let toSite = try bus.erp(Fixture.erp("C1") { $0.phone = "+33600000001"; $0.priceList = "VIP"; $0.updatedAt = Fixture.at(120) })
        #expect(toSite.compactMap(\.siteUpdate).count == 1)
        // The site applies it and publishes the account; it has no price list field, so it looks unchanged.
        #expect(try bus.site(Fixture.site { $0.phone = "+33600000001"; $0.source = .bus; $0.updatedAt = Fixture.at(121) }).isEmpty)
    }

    @Test("a redelivered input whose effect the state holds produces nothing")
    func redelivery() throws {
        let bus = try Self.linked()
        let change = Fixture.site { $0.phone = "+33600000001" }
        #expect(try bus.site(change, id: "site-7").count == 1)
        #expect(try bus.site(change, id: "site-7").isEmpty)
        #expect(try bus.erp(Fixture.erp("C1")).isEmpty, "the ERP's account again, unchanged")
    }

    @Test("an older version of either account (a replay after later ones, a late re-send) changes nothing")
    func olderVersions() throws {
        let bus = try Self.linked()
        try bus.site(Fixture.site(at: Fixture.at(60)) { $0.phone = "+33600000001" })
        try bus.erp(Fixture.erp("C1", at: Fixture.at(60)) { $0.priceList = "VIP"; $0.phone = "+33600000001" })
        #expect(try bus.site(Fixture.site(at: Fixture.at(30)) { $0.phone = "+33600000003" }).isEmpty)
        #expect(try bus.erp(Fixture.erp("C1", at: Fixture.at(30)) { $0.priceList = "OLD" }).isEmpty)
        #expect(try bus.site(Fixture.site(at: Fixture.at(61)) { $0.phone = "+33600000004" }).compactMap(\.erpUpdate).first?.phone == "+33600000004",
                "a newer one still goes through")
    }

    @Test("a conflicting double edit of a shared field: exactly one exception, then silence until someone changes it again")
    func doubleEdit() throws {
        let bus = try Self.linked(Self.sharedDelivery)
        let siteEdit = Fixture.site(at: Fixture.at(100)) { $0.addresses[1] = Fixture.address("work", "7 rue du Site", shipping: true) }
        let erpEdit = Fixture.erp("C1", at: Fixture.at(100, ms: 800)) { $0.addresses[1] = Fixture.address("work", "9 rue de l'ERP", shipping: true) }
        let first = try bus.site(siteEdit)
        #expect(first.map(\.topic) == [Topics.erpCustomerUpdates], "alone, the site's edit travels")
        let second = try bus.erp(erpEdit)
        #expect(second.map(\.topic) == [Topics.exceptions], "both edited within the tolerance: a person decides")
        let exception = try #require(second.first?.exception)
        #expect(exception.kind == .customerConflict)
        #expect(exception.entity == EntityReference(kind: .customer, key: "acc_1"))
        #expect(exception.details["fields"] == "delivery_addresses")
        #expect(!exception.reason.contains("rue") && !exception.details.values.contains { $0.contains("rue") }, "no address in the exception")

        #expect(try bus.erp(erpEdit).isEmpty, "redelivered: no second exception")
        #expect(try bus.site(Fixture.site(at: Fixture.at(100)) { $0.addresses[1] = Fixture.address("work", "7 rue du Site", shipping: true); $0.consents = [] }).isEmpty,
                "an unrelated change while it stands: no second exception, no update")
        let resolved = try bus.site(Fixture.site(at: Fixture.at(400)) { $0.addresses[1] = Fixture.address("work", "9 rue de l'ERP", shipping: true) })
        #expect(resolved.isEmpty, "a person aligned the site on the ERP: both agree, nothing to send")
        #expect(bus.published.compactMap(\.exception).count == 1)
    }

    @Test("both sides edit an owned field: the owner wins, no exception")
    func ownedDoubleEdit() throws {
        let bus = try Self.linked()
        try bus.site(Fixture.site(at: Fixture.at(100)) { $0.phone = "+33600000001" })
        let outputs = try bus.erp(Fixture.erp("C1", at: Fixture.at(100, ms: 300)) { $0.phone = "+33600000002" })
        #expect(outputs.map(\.topic) == [Topics.erpCustomerUpdates])
        #expect(outputs.first?.erpUpdate?.phone == "+33600000001", "the site owns the phone")
    }

    @Test("a b2b contact's site account updates that contact, and the company's data comes back")
    func b2bContact() throws {
        let bus = CustomerBus()
        try bus.erp(Fixture.company("B1", contacts: ["julie@b1.example", "camille@example.com"]))
        let linked = try bus.site(Fixture.site { $0.companyName = "Atelier B1" })
        let update = try #require(linked.compactMap(\.siteUpdate).first)
        #expect(update.companyName == "Atelier B1" && update.vatNumber == "FR40123456824" && update.paymentTerms == "NET30")
        #expect(update.addresses.map(\.addressID) == ["BILL-1"], "a company's addresses are the ERP's")
        let phone = try bus.site(Fixture.site { $0.companyName = "Atelier B1"; $0.phone = "+33600000009" })
        let toERP = try #require(phone.compactMap(\.erpUpdate).first)
        #expect(toERP.contactID == "CT-2" && toERP.phone == "+33600000009" && toERP.accountCode == "B1")
        #expect(toERP.firstName == "Julie" && toERP.companyName == "Atelier B1", "names and company stay the ERP's")
    }
}
