import BusSchema
import CustomerSyncFlow
import Testing

/// Links that change: a b2b contact moving company, an ERP account claiming a site account.
@Suite("customer-sync: links that move")
struct IdentityTests {
    @Test("a b2b contact moving company: unlinked from the old one, linked to the new one, and the site learns its new company")
    func contactMovesCompany() throws {
        let bus = CustomerBus()
        try bus.erp(Fixture.company("B1", contacts: ["julie@b1.example", "camille@example.com"]))
        let first = try bus.site(Fixture.site { $0.companyName = "Atelier B1" })
        #expect(first.compactMap(\.link).map { "\($0.erpAccountCode)/\($0.erpContactID?.rawValue ?? "-")" } == ["B1/CT-2"])

        // The ERP removes the contact from B1, then adds the person to B2.
        let left = try bus.erp(Fixture.company("B1", contacts: ["julie@b1.example"], at: Fixture.at(60)))
        #expect(left.compactMap(\.link).map(\.status) == [.unlinked])
        #expect(left.compactMap(\.link).first?.erpAccountCode == "B1")
        #expect(left.compactMap(\.erpUpdate).filter { $0.action == .create }.isEmpty, "no creation while the person is between companies")

        let joined = try bus.erp(Fixture.company("B2", contacts: ["x@b2.example", "Camille@Example.com"], at: Fixture.at(61)))
        #expect(joined.isEmpty, "the new company alone does not claim anyone")
        // The site account's next change is matched again and meets B2.
        let moved = try bus.site(Fixture.site(at: Fixture.at(90)) { $0.companyName = "Atelier B2" })
        let link = try #require(moved.compactMap(\.link).first)
        #expect(link.erpAccountCode == "B2" && link.erpContactID == "CT-2" && link.status == .linked && link.matchedBy == .email)
        #expect(moved.compactMap(\.siteUpdate).first?.erpAccountCode == "B2")
        #expect(moved.compactMap(\.siteUpdate).first?.companyName == "Atelier B2")
        #expect(try bus.erp(Fixture.company("B1", contacts: ["julie@b1.example", "julie2@b1.example"], at: Fixture.at(120))).isEmpty,
                "the old company's changes no longer reach the site account")
    }

    @Test("a b2b contact added to the new company before leaving the old one: the link holds, then moves when the old one lets go")
    func contactClaimedByTwoThenMoves() throws {
        let bus = CustomerBus()
        try bus.erp(Fixture.company("B1", contacts: ["camille@example.com"]))
        try bus.site(Fixture.site())
        #expect(try bus.erp(Fixture.company("B2", contacts: ["camille@example.com"], at: Fixture.at(30))).isEmpty, "the link to B1 holds")
        let left = try bus.erp(Fixture.company("B1", contacts: [], at: Fixture.at(60)))
        #expect(left.compactMap(\.link).map(\.status) == [.unlinked, .linked], "unlinked from B1, then matched to B2, now the only one")
        #expect(left.compactMap(\.link).map(\.erpAccountCode) == ["B1", "B2"])
        #expect(left.compactMap(\.siteUpdate).last?.erpAccountCode == "B2")
    }

    @Test("an ERP account that says it was created for a site account takes the link")
    func claimBySiteID() throws {
        let bus = CustomerBus()
        try bus.erp(Fixture.erp("C1"))
        try bus.site(Fixture.site())  // linked to C1 by e-mail
        let outputs = try bus.erp(Fixture.erp("C7", email: "c7@example.com") { $0.siteAccountID = "acc_1"; $0.priceList = "VIP" })
        #expect(outputs.compactMap(\.link).map(\.erpAccountCode) == ["C7"])
        #expect(outputs.compactMap(\.siteUpdate).first?.priceList == "VIP")
        #expect(try bus.erp(Fixture.erp("C1") { $0.priceList = "OLD" }).isEmpty, "C1 no longer syncs acc_1")
    }

    @Test("an unverified site account claimed by an ERP account is linked: the ERP's word needs no e-mail")
    func claimUnverified() throws {
        let bus = CustomerBus()
        #expect(try bus.site(Fixture.site { $0.emailVerified = false }).isEmpty)
        let outputs = try bus.erp(Fixture.erp("C1", email: "elsewhere@example.com") { $0.siteAccountID = "acc_1" })
        #expect(outputs.summaries.contains("bus.customer-identity acc_1"))
        #expect(outputs.summaries.contains("shop.customer-updates acc_1"))
    }
}
