import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import CustomerSyncFlow
import Foundation
import Testing

/// The runtime's crash check with customer-sync's own inputs: the final record per key on
/// every output topic is the same after a crash and a restart as after a clean run, and the
/// same as the flow gives in memory.
@Suite("customer-sync: kill and restart", .serialized)
struct CustomerSyncKillAndRestartTests {
    static let outputs = [Topics.erpCustomerUpdates, Topics.shopCustomerUpdates, Topics.customerIdentity, Topics.exceptions]

    /// 30 customers whose ERP account names their site account (so links do not depend on
    /// timing): both sides published, then each side changes once; every tenth customer is
    /// erased; and 10 new verified site accounts that the ERP does not know (creation requests).
    static func inputs() -> [ProducerRecord] {
        var records: [ProducerRecord] = []
        for n in 0..<30 {
            let id = "acc_k\(n)", code = "K\(n)", email = "k\(n)@example.com"
            records.append(Fixture.record(Fixture.site(id, email: email) { $0.emailVerified = false }, id: "site-1-\(n)"))
            records.append(Fixture.record(Fixture.erp(code, email: email) { $0.siteAccountID = SiteAccountID(id) }, id: "erp-1-\(n)"))
        }
        for n in 0..<30 {
            let id = "acc_k\(n)", code = "K\(n)", email = "k\(n)@example.com"
            records.append(Fixture.record(Fixture.site(id, email: email, at: Fixture.at(60)) { $0.emailVerified = false; $0.phone = "+3361000\(1000 + n)" }, id: "site-2-\(n)"))
            records.append(Fixture.record(Fixture.erp(code, email: email, at: Fixture.at(90)) { $0.siteAccountID = SiteAccountID(id); $0.priceList = "VIP" }, id: "erp-2-\(n)"))
        }
        for n in stride(from: 0, to: 30, by: 10) {
            records.append(Fixture.record(Fixture.erasure("acc_k\(n)"), id: "erase-\(n)"))
        }
        for n in 0..<10 {
            records.append(Fixture.record(Fixture.site("acc_new\(n)", email: "new\(n)@example.com"), id: "site-new-\(n)"))
        }
        return records
    }

    /// The last value per "topic|key" the flow gives for `records` in memory, encoded as the runtime encodes it.
    static func expectedFinalValues(_ records: [ProducerRecord]) throws -> [String: Data?] {
        let bus = CustomerBus()
        let codec = MessageCodec()
        let registry = MessageRegistry.standard
        for record in records {
            guard let value = record.value, let type = record.headers.string("ce_type") else { continue }
            let message = try registry.decode(messageType: type, version: 1, from: value)
            _ = try bus.run(FlowInput(envelope: Envelope(id: record.headers.string("ce_id") ?? "", source: "test", type: type, time: Fixture.t0),
                                      message: message, key: record.key.map { String(decoding: $0, as: UTF8.self) }, topic: record.topic))
        }
        var final: [String: Data?] = [:]
        for output in bus.published where outputs.contains(output.topic) {
            final["\(output.topic)|\(output.key ?? "")"] = .some(output.message.map { codec.encode(anyMessage: $0) })
        }
        return final
    }

    @Test("kill and restart: the same final record per key as a clean run and as the rules in memory", arguments: [80, 220])
    func killAndRestart(crashAfter: Int) throws {
        let inputs = Self.inputs()
        let expected = try Self.expectedFinalValues(inputs)
        #expect(expected.count > 100)
        let (reference, crashed) = try KillAndRestart.run(
            flow: CustomerSyncFlow(), topics: [Topics.erpCustomers, Topics.shopCustomers], inputs: inputs, outputs: Self.outputs,
            crashAfter: crashAfter, settled: { $0.finalValues == expected })
        #expect(reference.finalValues == expected, "a clean run ends where the rules in memory do")
        #expect(crashed.finalValues == expected, "a crashed and restarted run ends there too")
        #expect(reference.conflicting.isEmpty && crashed.conflicting.isEmpty, "a repeated id always carries the same bytes")
    }
}
