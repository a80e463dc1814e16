import BusSchema
import CustomerSyncFlow
import Testing

/// "GDPR: an erasure request from the site becomes an anonymisation request to the ERP,
/// tombstones in the identity table and updates, and no personal data left in the worker's
/// state; nothing personal is logged."
@Suite("customer-sync: erasure")
struct ErasureTests {
    /// Everything personal the fixtures hold about the person.
    static let personal = ["Camille", "Martin", "camille@example.com", "+33612345678", "12 rue des Lilas", "3 avenue du Parc", "Lilas"]

    static func containsPersonalData(_ text: String) -> [String] {
        personal.filter { text.localizedCaseInsensitiveContains($0) }
    }

    @Test("a linked b2c account: an anonymisation request, tombstones after every earlier output, and a state with nothing personal")
    func linked() throws {
        let bus = CustomerBus()
        try bus.erp(Fixture.erp("C1"))
        try bus.site(Fixture.site())
        try bus.site(Fixture.site { $0.phone = "+33600000001" })
        #expect(!Self.containsPersonalData(bus.stateText).isEmpty, "before: the state holds the customer")

        let outputs = try bus.erase(Fixture.erasure())
        #expect(outputs.summaries == [
            "bus.customer-identity acc_1 tombstone", "erp.customer-updates site:acc_1 tombstone",
            "bus.erasures acc_1", "bus.exceptions acc_1", "erp.customer-updates C1", "shop.customer-updates acc_1 tombstone", "bus.customer-identity acc_1 tombstone",
        ])
        let erase = try #require(outputs.compactMap(\.erpUpdate).first)
        #expect(erase.action == .erase && erase.accountCode == "C1" && erase.siteAccountID == "acc_1" && erase.contactID == nil)
        #expect(erase.validate().isEmpty, "an erase carries no personal data")
        #expect(Self.containsPersonalData(bus.stateText).isEmpty, "after: nothing personal in the state: \(Self.containsPersonalData(bus.stateText))")
        #expect(bus.stateText.contains("erase-acc_1"), "the erasure itself is remembered (ids only)")
    }

    @Test("after the erasure: a replayed older version, the site account again, and the ERP's unchanged account bring nothing back")
    func nothingComesBack() throws {
        let bus = CustomerBus()
        try bus.erp(Fixture.erp("C1"))
        try bus.site(Fixture.site())
        try bus.erase(Fixture.erasure())
        #expect(try bus.site(Fixture.site()).isEmpty)
        #expect(try bus.erase(Fixture.erasure()).isEmpty, "a second erasure request: nothing more")
        // The ERP anonymises the account and publishes it.
        #expect(try bus.erp(Fixture.erp("C1", email: nil) { $0.firstName = nil; $0.lastName = "ANONYMISED"; $0.phone = nil; $0.addresses = [] }).isEmpty)
        #expect(Self.containsPersonalData(bus.stateText).isEmpty)
    }

    @Test("an unlinked account (a creation request pending): tombstones only, no anonymisation request, nothing personal left")
    func unlinked() throws {
        let bus = CustomerBus()
        #expect(try bus.site(Fixture.site()).compactMap(\.erpUpdate).map(\.action) == [.create])
        let outputs = try bus.erase(Fixture.erasure())
        #expect(outputs.summaries == [
            "bus.customer-identity acc_1 tombstone", "erp.customer-updates site:acc_1 tombstone",
            "bus.erasures acc_1", "bus.exceptions acc_1", "shop.customer-updates acc_1 tombstone",
        ])
        #expect(Self.containsPersonalData(bus.stateText).isEmpty)
        #expect(!bus.stateText.contains(EmailMatchKey(email: "camille@example.com").pseudonym), "the e-mail's directory forgot it")
    }

    @Test("an unlinked account whose ERP account was created meanwhile: that account is anonymised when it appears")
    func unlinkedThenCreated() throws {
        let bus = CustomerBus()
        try bus.site(Fixture.site())
        try bus.erase(Fixture.erasure())
        let outputs = try bus.erp(Fixture.erp("C9") { $0.siteAccountID = "acc_1" })
        let erase = try #require(outputs.compactMap(\.erpUpdate).first)
        #expect(erase.action == .erase && erase.accountCode == "C9")
        #expect(outputs.last?.summary == "bus.customer-identity acc_1 tombstone", "the link it made is tombstoned again")
        #expect(outputs.compactMap(\.siteUpdate).isEmpty, "the erased site account is sent nothing")
        #expect(Self.containsPersonalData(bus.stateText).isEmpty)
    }

    @Test("an unverified account never sent anywhere: tombstones only")
    func neverMatched() throws {
        let bus = CustomerBus()
        try bus.site(Fixture.site { $0.emailVerified = false })
        #expect(try bus.erase(Fixture.erasure()).count == 5)
        #expect(Self.containsPersonalData(bus.stateText).isEmpty)
    }

    @Test("a b2b contact: the request names the contact, the company stays, the person leaves the state")
    func b2bContact() throws {
        let bus = CustomerBus()
        try bus.erp(Fixture.company("B1", contacts: ["julie@b1.example", "camille@example.com"]) { $0.contacts[1].firstName = "Camille"; $0.contacts[1].lastName = "Martin" })
        try bus.site(Fixture.site { $0.companyName = "Atelier B1" })
        let outputs = try bus.erase(Fixture.erasure())
        let erase = try #require(outputs.compactMap(\.erpUpdate).first)
        #expect(erase.action == .erase && erase.accountCode == "B1" && erase.contactID == "CT-2")
        #expect(Self.containsPersonalData(bus.stateText).isEmpty, "\(Self.containsPersonalData(bus.stateText))")
        #expect(bus.stateText.contains("julie@b1.example"), "the other contact is still known")
    }
}
