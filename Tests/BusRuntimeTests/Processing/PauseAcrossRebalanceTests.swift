import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// librdkafka keeps a partition's pause flag across assignments: a partition paused for a
/// retry when it was revoked would never be fetched again after it came back, unless the
/// runtime resumes it. With 2 decode threads the paused partitions also hold records read
/// ahead of the retry: held in memory until the resume, forgotten at the revoke (the old
/// seek back over them failed here on librdkafka 2.0.2 and stopped the worker).
@Suite("Worker runtime: a pause survives no rebalance")
struct PauseAcrossRebalanceTests {
    @Test("partitions paused for retries, revoked by a second member's arrival and assigned back at its departure, are fetched again: nothing lost", arguments: [1, 2])
    func pausedPartitionsAreFetchedAgain(threads: Int) throws {
        let options = DecodeThreadsTests.options(threads: threads)
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 400))
        // Every produce request fails, retriably, until cleared, and the first worker's local
        // queue takes 5 records: full-queue refusals go to the runtime's retries, which pause
        // their partitions.
        harness.cluster.injectErrors(Array(repeating: .notEnoughReplicas, count: 100_000), on: .produce)
        let first = harness.start(EchoFlow(), name: "first", options: options) { $0.set("queue.buffering.max.messages", "5") }
        let registry = first.worker.metricsRegistry
        #expect(waitUntil(timeout: .seconds(60)) { metricSum(registry, "bus_retries_total{operation=\"produce\"}") > 0 }, "paused for a retry")

        let second = harness.start(EchoFlow(), name: "second", options: options)
        #expect(waitUntil(timeout: .seconds(60)) { metricSum(registry, "bus_rebalances_total{kind=\"revoked\"}") >= 1
            && metricSum(registry, "bus_rebalances_total{kind=\"assigned\"}") >= 2 }, "revoked while paused, then assigned a share")
        harness.cluster.clearInjectedErrors(on: .produce)
        second.stopCleanly()
        // The second's departure gives every partition back to the first, paused ones included.
        #expect(waitUntil(timeout: .seconds(60)) { metricSum(registry, "bus_rebalances_total{kind=\"assigned\"}") >= 3 }, "all assigned back")

        let outputs = try harness.read("test.out", timeout: .seconds(120)) { records in
            Set(records.compactMap { $0.headers.string("ce_id") }).count >= 400
        }
        #expect(waitUntil(timeout: .seconds(20)) { (try? harness.committed()) == (try? harness.inputEnds()) }, "every input committed")
        first.stopCleanly()
        #expect(first.failure == nil && second.failure == nil)
        DeliveryGuaranteeTests.checkExactlyOnceAfterDedup(outputs, inputs: 400)
    }
}
