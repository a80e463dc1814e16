import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// No zombie writes: once a revoke handler returns, none of the old owner's records for the
/// revoked partitions may land, or a late one could overwrite the new owner's on a compacted
/// topic.
@Suite("Worker runtime: no zombie writes")
struct ZombieWriteTests {
    static let inputs = 200

    @Test("outputs undeliverable (their broker down) when a member joins: the old owner's queued records never land; one copy of each output, the last value per key on the output and the changelog a clean run's")
    func revokedWhileUndelivered() throws {
        let harness = try FlowHarness(flow: EchoFlow(), topics: ["test.out"], partitions: 2, brokers: 2, registry: Echo.registry)
        harness.isolate(["test.out"])
        try harness.publish(DeliveryGuaranteeTests.inputs(count: Self.inputs))
        harness.cluster.setBrokerDown(2)
        let first = harness.start(EchoFlow(), name: "first")
        let registry = first.worker.metricsRegistry
        #expect(waitUntil(timeout: .seconds(60)) { first.consumed >= Self.inputs }, "every input read, every output queued")

        let second = harness.start(EchoFlow(), name: "second")
        #expect(waitUntil(timeout: .seconds(60)) { metricSum(registry, "bus_rebalances_total{kind=\"assigned\"}") >= 2 },
                "the first was revoked with its outputs undelivered, then assigned its share")
        harness.cluster.setBrokerUp(2)

        let outputs = try harness.read("test.out", timeout: .seconds(60)) { records in
            Set(records.compactMap { $0.headers.string("ce_id") }).count >= Self.inputs
        }
        #expect(waitUntil(timeout: .seconds(20)) { (try? harness.committed()) == (try? harness.inputEnds()) }, "every input committed")
        second.stopCleanly()
        first.stopCleanly()
        #expect(first.failure == nil && second.failure == nil)
        let all = try harness.readAll("test.out")
        #expect(all.count == Self.inputs, "one copy of each output: the revoked owner's queued records were purged, not sent late (\(all.count) records)")
        DeliveryGuaranteeTests.checkExactlyOnceAfterDedup(outputs, inputs: Self.inputs)

        // A clean run's last values: every key's last event (n = 3) counted 4 times.
        let rounds = Int64(Self.inputs / DeliveryGuaranteeTests.keys)
        var lastEcho: [String: TestEcho] = [:]
        for record in all { if let (_, echo) = Echo.echo(record) { lastEcho[echo.key] = echo } }
        #expect(lastEcho.count == DeliveryGuaranteeTests.keys)
        #expect(lastEcho.values.allSatisfy { $0.n == rounds - 1 && $0.count == rounds }, "the last output per key is the last input's")
        var lastState: [String: Data?] = [:]
        for record in try harness.readAll(EchoFlow().changelogTopic) { if let key = record.keyString { lastState[key] = record.value } }
        let expected = Data("{\"count\":\(rounds),\"lastN\":\(rounds - 1)}".utf8)
        let decoded = lastState.compactMapValues { $0.flatMap { try? JSONDecoder().decode(EchoFlow.State.self, from: $0) } }
        #expect(decoded.count == DeliveryGuaranteeTests.keys && decoded.values.allSatisfy { $0 == EchoFlow.State(lastN: rounds - 1, count: rounds) },
                "the last state per key on the changelog is a clean run's (\(String(decoding: expected, as: UTF8.self)))")
    }
}
