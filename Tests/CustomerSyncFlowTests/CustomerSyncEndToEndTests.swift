import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import CustomerSyncFlow
import Foundation
import Testing

/// One embedded cluster and one customer-sync worker shared by the scenarios below (each uses
/// its own customers), fed by a plain producer as the ERP and the site would. Delivery
/// addresses are shared here, so a double edit can conflict.
final class CustomerCluster: @unchecked Sendable {
    static let shared = Result { try CustomerCluster() }
    static let outputs = [Topics.erpCustomerUpdates, Topics.shopCustomerUpdates, Topics.customerIdentity, Topics.exceptions]

    let flow: CustomerSyncFlow
    let harness: FlowHarness<CustomerSyncFlow>
    let worker: RunningWorker<CustomerSyncFlow>

    init() throws {
        var rules = CustomerSyncRules.defaults
        rules.owners[.deliveryAddresses] = .shared
        flow = CustomerSyncFlow(rules: rules)
        harness = try FlowHarness(flow: flow, topics: Self.outputs, partitions: 6)
        worker = harness.start(flow)
    }

    /// The records of `topic` under `key`, read until `done` holds for them.
    func read(_ topic: String, key: String, timeout: Duration = .seconds(30), until done: @escaping ([ConsumedRecord]) -> Bool) throws -> [ConsumedRecord] {
        try harness.read(topic, timeout: timeout) { done($0.filter { $0.keyString == key }) }.filter { $0.keyString == key }
    }
}

extension ConsumedRecord {
    func decode<M: BusMessage>(_ type: M.Type) -> M? {
        guard headers.string("ce_type") == M.messageType, let value else { return nil }
        return try? MessageCodec().decode(type, from: value)
    }
}

@Suite("customer-sync: end to end", .serialized)
struct CustomerSyncEndToEndTests {
    @Test("B2C sign-up round trip: site → ERP creation request → ERP account → link → update back → site change → ERP update → ERP echo → nothing")
    func signUp() throws {
        let bus = try CustomerCluster.shared.get()
        let site = Fixture.site("acc_e2e_signup", email: "Signup@Example.com")
        try bus.harness.publish([Fixture.record(site)])

        let creation = try #require(try bus.read(Topics.erpCustomerUpdates, key: "site:acc_e2e_signup") { !$0.isEmpty }.first?.decode(ERPCustomerUpdate.self))
        #expect(creation.action == .create && creation.siteAccountID == site.siteAccountID && creation.email == site.email)

        // The ERP creates the account from the request and publishes it, carrying the site id.
        let created = ERPCustomerAccount(
            accountCode: "C-SIGNUP", kind: .b2c, status: .active, firstName: creation.firstName, lastName: creation.lastName,
            email: creation.email, phone: creation.phone, language: creation.language ?? Fixture.fr, currency: .eur,
            priceList: "B2C-STD", paymentTerms: "PREPAID", addresses: creation.addresses, contacts: [],
            updatedAt: Fixture.at(5), source: .bus, siteAccountID: site.siteAccountID)
        try bus.harness.publish([Fixture.record(created)])

        let link = try #require(try bus.read(Topics.customerIdentity, key: "acc_e2e_signup") { !$0.isEmpty }.first?.decode(IdentityLink.self))
        #expect(link.erpAccountCode == "C-SIGNUP" && link.matchedBy == .createdInErp && link.status == .linked)
        let back = try bus.read(Topics.shopCustomerUpdates, key: "acc_e2e_signup") { !$0.isEmpty }
        #expect(back.count == 1)
        let update = try #require(back.first?.decode(SiteCustomerUpdate.self))
        #expect(update.erpAccountCode == "C-SIGNUP" && update.priceList == "B2C-STD" && update.paymentTerms == "PREPAID" && update.status == .active)
        #expect(try bus.read(Topics.erpCustomerUpdates, key: "C-SIGNUP") { _ in true }.isEmpty, "the new ERP account already matches the site")

        // The customer changes their phone on the site; the site owns it.
        try bus.harness.publish([Fixture.record(Fixture.site("acc_e2e_signup", email: "Signup@Example.com", at: Fixture.at(60)) { $0.phone = "+33611112222" })])
        let toERP = try bus.read(Topics.erpCustomerUpdates, key: "C-SIGNUP") { !$0.isEmpty }
        #expect(toERP.count == 1)
        #expect(toERP.first?.decode(ERPCustomerUpdate.self)?.phone == "+33611112222")

        // The ERP applies it and publishes the account: an echo, so nothing goes anywhere.
        var applied = created
        applied.phone = "+33611112222"
        applied.updatedAt = Fixture.at(61)
        try bus.harness.publish([Fixture.record(applied)])
        Thread.sleep(forTimeInterval: 2)
        #expect(try bus.read(Topics.erpCustomerUpdates, key: "C-SIGNUP") { !$0.isEmpty }.count == 1, "no ping-pong to the ERP")
        #expect(try bus.read(Topics.shopCustomerUpdates, key: "acc_e2e_signup") { !$0.isEmpty }.count == 1, "no ping-pong to the site")
        #expect(try bus.harness.readAll(bus.flow.deadLetterTopic).isEmpty)
    }

    @Test("a conflicting double edit of a shared field gives exactly one business exception")
    func doubleEdit() throws {
        let bus = try CustomerCluster.shared.get()
        // The ERP account names the site account it belongs to, so the link does not depend on timing.
        let site = Fixture.site("acc_e2e_conflict", email: "conflict@example.com") { $0.emailVerified = false }
        let erp = Fixture.erp("C-CONFLICT", email: "conflict@example.com") { $0.siteAccountID = site.siteAccountID }
        try bus.harness.publish([Fixture.record(site), Fixture.record(erp)])
        _ = try bus.read(Topics.shopCustomerUpdates, key: "acc_e2e_conflict") { !$0.isEmpty }

        // Both sides change the delivery address half a second apart.
        let siteEdit = Fixture.site("acc_e2e_conflict", email: "conflict@example.com", at: Fixture.at(100)) {
            $0.emailVerified = false
            $0.addresses[1] = Fixture.address("work", "7 rue du Site", shipping: true)
        }
        let erpEdit = Fixture.erp("C-CONFLICT", email: "conflict@example.com", at: Fixture.at(100, ms: 500)) {
            $0.siteAccountID = site.siteAccountID
            $0.addresses[1] = Fixture.address("work", "9 rue de l'ERP", shipping: true)
        }
        try bus.harness.publish([Fixture.record(siteEdit), Fixture.record(erpEdit)])
        _ = try bus.read(Topics.exceptions, key: "acc_e2e_conflict") { !$0.isEmpty }
        Thread.sleep(forTimeInterval: 2)
        let exceptions = try bus.read(Topics.exceptions, key: "acc_e2e_conflict") { !$0.isEmpty }
        #expect(exceptions.count == 1, "exactly one exception")
        let exception = try #require(exceptions.first?.decode(BusinessException.self))
        #expect(exception.kind == .customerConflict && exception.details["fields"] == "delivery_addresses")
        #expect(exception.worker == .customerSync && exception.entity.key == "acc_e2e_conflict")
    }

    @Test("an erasure leaves no personal field in any output after it, tombstones the identity and the updates, and nothing personal in the state")
    func erasure() throws {
        let bus = try CustomerCluster.shared.get()
        let personal = ["Erika", "Mustermann", "erika@example.com", "+33655555555", "rue de l'Oubli"]
        let site = SiteCustomerAccount(
            siteAccountID: "acc_e2e_erase", email: "erika@example.com", emailVerified: false, phone: "+33655555555",
            firstName: "Erika", lastName: "Mustermann", language: Fixture.fr,
            addresses: [Fixture.address("home", "1 rue de l'Oubli", billing: true, shipping: true)], consents: [],
            createdAt: Fixture.t0, updatedAt: Fixture.t0, source: .site)
        let erp = ERPCustomerAccount(
            accountCode: "C-ERASE", kind: .b2c, status: .active, firstName: "Erika", lastName: "Mustermann", email: "erika@example.com",
            phone: "+33655555555", language: Fixture.fr, currency: .eur, priceList: "B2C-STD",
            addresses: [Fixture.address("home", "1 rue de l'Oubli", billing: true, shipping: true)], contacts: [],
            updatedAt: Fixture.t0, source: .erp, siteAccountID: "acc_e2e_erase")
        try bus.harness.publish([Fixture.record(site), Fixture.record(erp)])
        let before = try bus.read(Topics.shopCustomerUpdates, key: "acc_e2e_erase") { !$0.isEmpty }
        #expect(before.first.map { record in personal.contains { String(decoding: record.value ?? Data(), as: UTF8.self).contains($0) } } == true,
                "the site update before the erasure carries the address")

        var seen: Set<String> = []
        for topic in CustomerCluster.outputs {
            for record in try bus.harness.readAll(topic) { seen.insert("\(topic)/\(record.partition)/\(record.offset)") }
        }
        try bus.harness.publish([Fixture.record(Fixture.erasure("acc_e2e_erase"))])

        _ = try bus.read(Topics.erpCustomerUpdates, key: "C-ERASE") { $0.contains { $0.decode(ERPCustomerUpdate.self)?.action == .erase } }
        _ = try bus.read(Topics.customerIdentity, key: "acc_e2e_erase") { $0.last?.value == nil && $0.count > 1 }
        Thread.sleep(forTimeInterval: 1)
        var after: [ConsumedRecord] = []
        var last: [String: Data?] = [:]
        for topic in CustomerCluster.outputs {
            for record in try bus.harness.readAll(topic) {
                if !seen.contains("\(topic)/\(record.partition)/\(record.offset)") { after.append(record) }
                last["\(topic)|\(record.keyString ?? "")"] = .some(record.value)
            }
        }
        #expect(!after.isEmpty)
        for record in after {
            let text = String(decoding: record.value ?? Data(), as: UTF8.self)
            #expect(!personal.contains { text.contains($0) }, "\(record.topic) \(record.keyString ?? "") carries personal data after the erasure")
        }
        #expect(last["\(Topics.customerIdentity)|acc_e2e_erase"] == .some(nil), "the identity link is tombstoned")
        #expect(last["\(Topics.shopCustomerUpdates)|acc_e2e_erase"] == .some(nil), "the site's updates are tombstoned")
        #expect(last["\(Topics.erpCustomerUpdates)|site:acc_e2e_erase"] == .some(nil), "any creation request is tombstoned")
        let erase = try #require(after.first { $0.topic == Topics.erpCustomerUpdates && $0.keyString == "C-ERASE" }?.decode(ERPCustomerUpdate.self))
        #expect(erase.action == .erase && erase.accountCode == "C-ERASE" && erase.validate().isEmpty)

        // The worker's state, as its changelog says now: nothing personal about this customer.
        let clean = try waitUntil(timeout: .seconds(10)) {
            var latest: [String: Data?] = [:]
            for record in try bus.harness.readAll(bus.flow.changelogTopic) { latest[record.keyString ?? ""] = .some(record.value) }
            let text = latest.values.compactMap { $0.map { String(decoding: $0, as: UTF8.self) } }.joined(separator: "\n")
            return !personal.contains { text.contains($0) }
        }
        #expect(clean, "no personal data left in the worker's state")
    }
}
