import BusSchema
import CustomerSyncFlow
import Testing

/// Identity: "B2C, one site account ↔ one ERP account; B2B, each site account linked to
/// (company code, contact id). A new site account is matched to an existing ERP account by
/// normalised email; with no match it becomes a creation request to the ERP, and the link is
/// made when the ERP account that carries the site id appears. Ambiguous identity → no update,
/// a business exception."
@Suite("customer-sync: matching and links")
struct MatchingTests {
    enum Expected: Equatable, Sendable {
        /// Linked to this account (and contact), by this rule.
        case linked(String, contact: String?, LinkMatch)
        /// A creation request for the site account, nothing linked.
        case creationRequested
        /// One business exception naming these candidates, nothing linked or created.
        case ambiguous(String)
        /// Nothing at all.
        case nothing
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let testDescription: String
        /// What the ERP has before the site account arrives.
        let erp: [ERPCustomerAccount]
        var email = "camille@example.com"
        var verified = true
        var rules = CustomerSyncRules.defaults
        let expected: Expected
    }

    static var unverifiedMatched: CustomerSyncRules {
        var rules = CustomerSyncRules.defaults
        rules.matchUnverifiedEmail = true
        return rules
    }

    static let cases: [Case] = [
        Case(testDescription: "a b2c account with the e-mail: linked by e-mail",
             erp: [Fixture.erp("C1")], expected: .linked("C1", contact: nil, .email)),
        Case(testDescription: "the e-mail differs in case and surrounding spaces: still linked",
             erp: [Fixture.erp("C1", email: "Camille@Example.COM")], email: "  CAMILLE@example.com ", expected: .linked("C1", contact: nil, .email)),
        Case(testDescription: "a b2b contact with the e-mail: linked to the company and that contact",
             erp: [Fixture.company("B1", contacts: ["julie@b1.example", "camille@example.com"])], expected: .linked("B1", contact: "CT-2", .email)),
        Case(testDescription: "nobody with the e-mail: a creation request",
             erp: [Fixture.erp("C1", email: "other@example.com")], expected: .creationRequested),
        Case(testDescription: "an ERP account without e-mail matches nothing",
             erp: [Fixture.erp("C1", email: nil)], expected: .creationRequested),
        Case(testDescription: "two ERP accounts with the e-mail: ambiguous",
             erp: [Fixture.erp("C1"), Fixture.erp("C2", email: "CAMILLE@example.com")], expected: .ambiguous("C1, C2")),
        Case(testDescription: "a contact claimed by two companies: ambiguous",
             erp: [Fixture.company("B1", contacts: ["camille@example.com"]), Fixture.company("B2", contacts: ["x@b2.example", "camille@example.com"])],
             expected: .ambiguous("B1/CT-1, B2/CT-2")),
        Case(testDescription: "a b2c account and a b2b contact with the e-mail: ambiguous",
             erp: [Fixture.erp("C1"), Fixture.company("B1", contacts: ["camille@example.com"])], expected: .ambiguous("B1/CT-1, C1")),
        Case(testDescription: "an unverified e-mail waits: neither matched nor created",
             erp: [Fixture.erp("C1")], verified: false, expected: .nothing),
        Case(testDescription: "an unverified e-mail is matched when the rules allow it",
             erp: [Fixture.erp("C1")], verified: false, rules: unverifiedMatched, expected: .linked("C1", contact: nil, .email)),
    ]

    @Test(arguments: cases)
    func match(_ rule: Case) throws {
        let bus = CustomerBus(rule.rules)
        for account in rule.erp { #expect(try bus.erp(account).isEmpty, "an ERP account alone changes nothing outside") }
        let site = Fixture.site(email: rule.email) { $0.emailVerified = rule.verified }
        let outputs = try bus.site(site)
        let links = outputs.compactMap(\.link)
        let exceptions = outputs.compactMap(\.exception)
        let creations = outputs.compactMap(\.erpUpdate).filter { $0.action == .create }
        switch rule.expected {
        case .linked(let code, let contact, let match):
            #expect(links.map(\.erpAccountCode.rawValue) == [code])
            #expect(links.first?.erpContactID?.rawValue == contact)
            #expect(links.first?.matchedBy == match)
            #expect(links.first?.status == .linked)
            #expect(outputs.on(Topics.customerIdentity).first?.key == "acc_1")
            #expect(exceptions.isEmpty && creations.isEmpty)
            #expect(outputs.compactMap(\.siteUpdate).first?.erpAccountCode?.rawValue == code, "the site learns its ERP account")
        case .creationRequested:
            #expect(creations.count == 1)
            #expect(outputs.on(Topics.erpCustomerUpdates).first?.key == "site:acc_1")
            #expect(links.isEmpty && exceptions.isEmpty)
            #expect(try bus.site(Fixture.site(email: rule.email) { $0.phone = "+33699999999" }).isEmpty, "asked once, not on every change")
        case .ambiguous(let candidates):
            #expect(exceptions.count == 1)
            #expect(exceptions.first?.kind == .customerConflict)
            #expect(exceptions.first?.details["candidates"] == candidates)
            #expect(outputs.on(Topics.exceptions).first?.key == "acc_1", "keyed by the entity")
            #expect(links.isEmpty && creations.isEmpty && outputs.count == 1)
            #expect(try bus.site(Fixture.site(email: rule.email) { $0.phone = "+33699999999" }).isEmpty, "one exception per set of candidates")
        case .nothing:
            #expect(outputs.isEmpty)
        }
    }

    @Test("no match, creation request, then the ERP account that carries the site id appears: linked, and the site is told")
    func creationThenLink() throws {
        let bus = CustomerBus()
        let site = Fixture.site()
        let creation = try #require(try bus.site(site).first?.erpUpdate)
        #expect(creation.action == .create)
        #expect(creation.accountCode == nil)
        #expect(creation.siteAccountID == site.siteAccountID)
        #expect(creation.kind == .b2c)
        #expect(creation.email == site.email && creation.lastName == "Martin" && creation.addresses == site.addresses)
        #expect(creation.validate().isEmpty)

        let outputs = try bus.erp(Fixture.erp("C9") { $0.siteAccountID = site.siteAccountID; $0.source = .bus })
        #expect(outputs.summaries == ["bus.customer-identity acc_1", "shop.customer-updates acc_1"])
        #expect(outputs[0].link?.matchedBy == .createdInErp)
        let update = try #require(outputs[1].siteUpdate)
        #expect(update.erpAccountCode == "C9" && update.priceList == "B2C-STD" && update.paymentTerms == "PREPAID" && update.status == .active)
        #expect(update.validate().isEmpty)
    }

    @Test("an e-mail that later gets a second ERP account does not undo an existing link")
    func linksStick() throws {
        let bus = CustomerBus()
        try bus.erp(Fixture.erp("C1"))
        try bus.site(Fixture.site())
        #expect(try bus.erp(Fixture.erp("C2")).isEmpty)
        let outputs = try bus.site(Fixture.site { $0.phone = "+33611111111" })
        #expect(outputs.summaries == ["erp.customer-updates C1"])
    }

    @Test("a site account whose e-mail changes before it is linked is matched under the new one")
    func emailChangeBeforeLink() throws {
        let bus = CustomerBus()
        try bus.erp(Fixture.erp("C1", email: "new@example.com"))
        #expect(try bus.site(Fixture.site(email: "old@example.com")).compactMap(\.erpUpdate).map(\.action) == [.create])
        let outputs = try bus.site(Fixture.site(email: "new@example.com"))
        #expect(outputs.compactMap(\.link).map(\.erpAccountCode) == ["C1"])
        #expect(!bus.stateText.contains(EmailMatchKey(email: "old@example.com").pseudonym), "the old e-mail's directory forgot it")
    }
}
