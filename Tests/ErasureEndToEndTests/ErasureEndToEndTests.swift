import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import CustomerSyncFlow
import Foundation
import OrderIngestFlow
import PaymentLettererFlow
import StatusNotifierFlow
import Testing

/// "A GDPR erasure reaches every worker that holds the person's data": the four workers that
/// see a customer run on one embedded cluster; the site publishes the customer's account, an
/// order, a payment, and the ERP a status and an invoice (the committed example files, as an
/// outside client sends them); then the site's erasure request. Afterwards no state, no
/// changelog value (the latest per key of every `bus.<worker>.state`) and no latest value of
/// any compacted topic the bus writes holds the person's e-mail, names, street or phone, and
/// `bus.exceptions` holds one `erasure_completed` per worker, with nothing personal in it.
@Suite("erasure end to end", .serialized)
struct ErasureEndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// What the example files say of Camille Martin that names, reaches or locates her.
    static let personal = ["camille.martin@example.com", "Camille", "Martin", "12 rue des Lilas", "3 avenue Parmentier", "+33612345678"]
    static let order = "WEB-100234"
    static let account = "acc_8f3k2m9q"
    static let workers = ["customer-sync", "order-ingest", "payment-letterer", "status-notifier"]

    @Test("a customer with an order, a payment, a status and an invoice is erased from every worker's state, changelog and compacted outputs")
    func erasureReachesEveryWorker() throws {
        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: Self.repository.appendingPathComponent("topics/topics.json")))
        let harness = try FlowHarness(flow: CustomerSyncFlow(), topics: catalogue.topics.map(\.name), partitions: 4)
        let running: [() -> Void] = [
            Self.start(CustomerSyncFlow(), harness),
            Self.start(OrderIngest(), harness),
            Self.start(PaymentLetterer(), harness),
            Self.start(StatusNotifier(), harness),
        ]
        defer { for stop in running { stop() } }

        try harness.publish([
            Self.record("shop.customers", key: Self.account, type: "shop.customer-account"),
            Self.record("shop.orders", key: Self.order, type: "shop.order"),
            Self.record("shop.payments", key: Self.order, type: "shop.payment"),
            Self.record("erp.order-status", key: Self.order, type: "erp.order-status"),
            Self.record("erp.invoices", key: Self.order, type: "erp.invoice"),
        ])
        let changelogs = Self.workers.map { Topics.changelog(of: $0) }
        let held = try waitUntil(timeout: .seconds(120)) {
            let latest = try changelogs.map { try Self.latest(harness, $0) }
            return latest.allSatisfy { !$0.isEmpty } && latest.dropFirst().allSatisfy { $0[Self.order] != nil }
        }
        #expect(held, "every worker keeps state for the customer or the order")
        // The search can fail: before the erasure, order-ingest's changelog names her.
        let before = try Self.personalFound(in: Self.latest(harness, Topics.changelog(of: "order-ingest")))
        #expect(before.contains("camille.martin@example.com") && before.contains("12 rue des Lilas"), "before: \(before)")

        try harness.publish([Self.record("shop.customers", key: Self.account, type: "shop.erasure-request")])

        var completions: [String: Data] = [:]
        let completed = try waitUntil(timeout: .seconds(60)) {
            completions = try Self.completions(harness)
            return Set(completions.keys) == Set(Self.workers)
        }
        #expect(completed, "erasure_completed from every worker: \(completions.keys.sorted())")
        for (worker, bytes) in completions {
            #expect(Self.personalFound(in: ["": bytes]).isEmpty, "\(worker)'s record of the erasure carries nothing personal")
            #expect(String(decoding: bytes, as: UTF8.self).contains(Self.account), "\(worker)'s record names the erased account")
        }

        // What the bus wrote last under each key of a compacted topic: state changelogs and outputs.
        let compacted = catalogue.topics.filter { topic in
            topic.cleanup == .compact && topic.writers.contains { catalogue.workers.contains($0) }
        }.map(\.name)
        #expect(compacted.contains("bus.order-ingest.state") && compacted.contains("shop.customer-updates"))
        var leaks: [String: [String]] = [:]
        let clean = try waitUntil(timeout: .seconds(30)) {
            leaks = [:]
            for topic in compacted {
                let found = try Self.personalFound(in: Self.latest(harness, topic))
                if !found.isEmpty { leaks[topic] = found }
            }
            return leaks.isEmpty
        }
        #expect(clean, "personal data left after the erasure: \(leaks)")
        // The orders are still known (anonymised, not lost).
        #expect(try Self.latest(harness, Topics.changelog(of: "order-ingest"))[Self.order] != nil)
    }

    /// Starts `flow` as its own worker (its own group) on the harness's cluster; returns its stop.
    static func start<F: Flow>(_ flow: F, _ harness: FlowHarness<CustomerSyncFlow>) -> () -> Void {
        let running = harness.start(other: flow)
        return { running.stopCleanly() }
    }

    /// The committed example of `type`, as an outside client publishes it (binary mode).
    static func record(_ topic: String, key: String, type: String) -> ProducerRecord {
        let value = (try? Data(contentsOf: repository.appendingPathComponent("topics/examples/\(type).v1.json"))) ?? Data()
        let headers = [
            ("ce_specversion", "1.0"), ("ce_id", "test-\(type)"), ("ce_source", "test/outside"), ("ce_type", type),
            ("ce_time", "2024-05-06T10:00:00Z"), ("content-type", "application/json"),
            ("ce_dataschema", "urn:commerce-bus:schema:\(type).v1"),
        ].map { KafkaHeader(key: $0.0, string: $0.1) }
        return ProducerRecord(topic: topic, key: key, value: value, headers: headers)
    }

    /// The latest value per key of `topic` (a tombstone removes the key), as raw bytes.
    static func latest(_ harness: FlowHarness<CustomerSyncFlow>, _ topic: String) throws -> [String: Data] {
        var latest: [String: Data] = [:]
        for record in try harness.readAll(topic) {
            let key = record.keyString ?? ""
            latest[key] = record.value
        }
        return latest
    }

    /// The personal values found in any of `values`' raw bytes.
    static func personalFound(in values: [String: Data]) -> [String] {
        personal.filter { text in
            let needle = Data(text.utf8)
            return values.values.contains { $0.range(of: needle) != nil }
        }
    }

    /// The `erasure_completed` records on `bus.exceptions`, by worker.
    static func completions(_ harness: FlowHarness<CustomerSyncFlow>) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for record in try harness.readAll(Topics.exceptions) {
            guard let value = record.value,
                  let json = try? JSONSerialization.jsonObject(with: value) as? [String: Any],
                  json["kind"] as? String == "erasure_completed", let worker = json["worker"] as? String else { continue }
            found[worker] = value
        }
        return found
    }
}
