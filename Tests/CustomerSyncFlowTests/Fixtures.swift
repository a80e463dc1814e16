import BusKafka
import BusSchema
import CustomerSyncFlow
import Foundation

/// Accounts and records for the tests. Values are made up; nothing here is anyone's data.
enum Fixture {
    static let fr = LanguageCode("fr")!
    static let en = LanguageCode("en")!
    static let t0 = Instant("2024-05-01T10:00:00Z")!
    static let codec = MessageCodec()

    /// `seconds` after t0.
    static func at(_ seconds: Int64, ms: Int32 = 0) -> Instant {
        Instant(secondsSinceEpoch: t0.secondsSinceEpoch + seconds, nanoseconds: ms * 1_000_000, fractionDigits: ms == 0 ? 0 : 3)!
    }

    static func address(_ id: String, _ line: String, billing: Bool = false, shipping: Bool = false) -> AccountAddress {
        AccountAddress(addressID: Code(id), address: PostalAddress(lines: [line], postalCode: "75011", city: "Paris", country: CountryCode("FR")!),
                       isDefaultBilling: billing, isDefaultShipping: shipping)
    }

    static let home = address("home", "12 rue des Lilas", billing: true)
    static let work = address("work", "3 avenue du Parc", shipping: true)

    /// A verified site account with a billing and a delivery address.
    static func site(_ id: String = "acc_1", email: String = "camille@example.com", at time: Instant = t0,
                     change: (inout SiteCustomerAccount) -> Void = { _ in }) -> SiteCustomerAccount {
        var account = SiteCustomerAccount(
            siteAccountID: SiteAccountID(id), email: email, emailVerified: true, phone: "+33612345678",
            firstName: "Camille", lastName: "Martin", language: fr, addresses: [home, work],
            consents: [Consent(purpose: .marketingEmail, granted: true, updatedAt: t0)],
            createdAt: t0, updatedAt: time, source: .site)
        change(&account)
        return account
    }

    /// A b2c ERP account with the same person, addresses and e-mail as `site()`.
    static func erp(_ code: String = "C1", email: String? = "camille@example.com", at time: Instant = t0,
                    change: (inout ERPCustomerAccount) -> Void = { _ in }) -> ERPCustomerAccount {
        var account = ERPCustomerAccount(
            accountCode: ERPAccountCode(code), kind: .b2c, status: .active, firstName: "Camille", lastName: "Martin",
            email: email, phone: "+33612345678", language: fr, currency: .eur, priceList: "B2C-STD", paymentTerms: "PREPAID",
            addresses: [home, work], contacts: [], updatedAt: time, source: .erp)
        change(&account)
        return account
    }

    /// A b2b company whose contacts have the given e-mails (contact ids CT-1, CT-2, ...).
    static func company(_ code: String, contacts emails: [String], at time: Instant = t0,
                        change: (inout ERPCustomerAccount) -> Void = { _ in }) -> ERPCustomerAccount {
        var account = ERPCustomerAccount(
            accountCode: ERPAccountCode(code), kind: .b2b, status: .active, companyName: "Atelier \(code)", vatNumber: "FR40123456824",
            email: "compta@\(code.lowercased()).example", language: fr, currency: .eur, priceList: "B2B-GOLD", paymentTerms: "NET30",
            addresses: [address("BILL-1", "48 quai Saint-Antoine", billing: true)],
            contacts: emails.enumerated().map { ERPContact(contactID: ERPContactID("CT-\($0.offset + 1)"), firstName: "Julie", lastName: "Moreau",
                                                             email: $0.element, phone: "+33478123456", isPrimary: $0.offset == 0) },
            updatedAt: time, source: .erp)
        change(&account)
        return account
    }

    static func erasure(_ id: String = "acc_1", at time: Instant = at(3600)) -> ErasureRequest {
        ErasureRequest(requestID: EventID("erase-\(id)"), siteAccountID: SiteAccountID(id), reason: .customerRequest, requestedAt: time)
    }

    /// The record an outside system would publish for `message`.
    static func record<M: BusMessage>(_ message: M, topic: String, key: String, id: String = UUID().uuidString) -> ProducerRecord {
        let envelope = Envelope(for: M.self, id: id, source: topic.hasPrefix("erp") ? "erp/test" : "site/test", time: t0)
        return ProducerRecord(topic: topic, key: key, value: codec.encode(message),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }

    static func record(_ account: SiteCustomerAccount, id: String = UUID().uuidString) -> ProducerRecord {
        record(account, topic: Topics.shopCustomers, key: account.siteAccountID.rawValue, id: id)
    }

    static func record(_ account: ERPCustomerAccount, id: String = UUID().uuidString) -> ProducerRecord {
        record(account, topic: Topics.erpCustomers, key: account.accountCode.rawValue, id: id)
    }

    static func record(_ erasure: ErasureRequest, id: String = UUID().uuidString) -> ProducerRecord {
        record(erasure, topic: Topics.shopCustomers, key: erasure.siteAccountID.rawValue, id: id)
    }
}

/// customer-sync in memory: outside records in, every internal hop followed (first in, first
/// out) on one state store, and the records for the outside world out. Partitions do not
/// matter here: state keys never collide across meeting points.
final class CustomerBus {
    let flow: CustomerSyncFlow
    let store = StateStore<CustomerSyncState>()
    /// Every record for the outside world so far, in order.
    private(set) var published: [FlowOutput] = []
    private var counter = 0

    init(_ rules: CustomerSyncRules = .defaults) {
        flow = CustomerSyncFlow(rules: rules)
    }

    /// Handles one outside record and everything it leads to; returns the records for the outside world.
    @discardableResult
    func send<M: BusMessage>(_ message: M, topic: String, key: String, id: String? = nil) throws -> [FlowOutput] {
        counter += 1
        let envelope = Envelope(for: M.self, id: id ?? "in-\(counter)", source: "test", time: Fixture.t0)
        return try run(FlowInput(envelope: envelope, message: message, key: key, topic: topic))
    }

    @discardableResult
    func site(_ account: SiteCustomerAccount, id: String? = nil) throws -> [FlowOutput] {
        try send(account, topic: Topics.shopCustomers, key: account.siteAccountID.rawValue, id: id)
    }

    @discardableResult
    func erp(_ account: ERPCustomerAccount, id: String? = nil) throws -> [FlowOutput] {
        try send(account, topic: Topics.erpCustomers, key: account.accountCode.rawValue, id: id)
    }

    @discardableResult
    func erase(_ erasure: ErasureRequest) throws -> [FlowOutput] {
        try send(erasure, topic: Topics.shopCustomers, key: erasure.siteAccountID.rawValue)
    }

    /// Runs `input` and the internal records it leads to.
    func run(_ input: FlowInput) throws -> [FlowOutput] {
        var queue = [input]
        var outside: [FlowOutput] = []
        while !queue.isEmpty {
            let next = queue.removeFirst()
            var state = FlowState(store: store)
            let outputs = try flow.handle(next, state: &state, tables: StaticTables())
            store.apply(state.changes)
            for (position, output) in outputs.enumerated() {
                if output.topic == CustomerRoute.topic, let message = output.message {
                    let envelope = next.envelope.derived(worker: flow.name, position: position, type: type(of: message).messageType, dataSchema: nil)
                    queue.append(FlowInput(envelope: envelope, message: message, key: output.key, topic: output.topic))
                } else {
                    outside.append(output)
                }
            }
        }
        published += outside
        return outside
    }

    /// The state as JSON text, to look for what must not be there.
    var stateText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return store.snapshot.sorted { $0.key < $1.key }.map { key, value in
            key + "=" + ((try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "")
        }.joined(separator: "\n")
    }
}

extension FlowOutput {
    var erpUpdate: ERPCustomerUpdate? { message as? ERPCustomerUpdate }
    var siteUpdate: SiteCustomerUpdate? { message as? SiteCustomerUpdate }
    var link: IdentityLink? { message as? IdentityLink }
    var exception: BusinessException? { message as? BusinessException }
    var isTombstone: Bool { if case .tombstone = payload { return true } else { return false } }

    /// "topic key": enough to say what went where.
    var summary: String { "\(topic) \(key ?? "-")\(isTombstone ? " tombstone" : "")" }
}

extension Array where Element == FlowOutput {
    func on(_ topic: String) -> [FlowOutput] { filter { $0.topic == topic } }
    var summaries: [String] { map(\.summary) }
}
