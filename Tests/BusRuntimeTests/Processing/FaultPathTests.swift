import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// Faults that must reach the runtime's own code: its retry scheduling and its fatal stop.
@Suite("Worker runtime: fault paths")
struct FaultPathTests {
    @Test("a local queue of 5 records and failing produce requests: full-queue refusals go through the runtime's retries, nothing lost")
    func queueFullIsRetriedByTheRuntime() throws {
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 1000))
        harness.cluster.injectErrors(Array(repeating: .notEnoughReplicas, count: 30), on: .produce)
        let worker = harness.start(EchoFlow()) { $0.set("queue.buffering.max.messages", "5") }
        let outputs = try harness.read("test.out", timeout: .seconds(300)) { records in
            Set(records.compactMap { $0.headers.string("ce_id") }).count >= 1000
        }
        worker.stopCleanly()
        #expect(worker.failure == nil)
        #expect(metricSum(worker.worker.metricsRegistry, "bus_retries_total{operation=\"produce\"}") > 0, "the runtime retried")
        DeliveryGuaranteeTests.checkExactlyOnceAfterDedup(outputs, inputs: 1000)
        #expect(try harness.committed() == harness.inputEnds())
    }

    @Test("a fatal client error (rd_kafka_test_fatal_error): the worker stops with it and is no longer alive")
    func fatalClientErrorStops() throws {
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 200))
        let worker = harness.start(EchoFlow())
        #expect(waitUntil(timeout: .seconds(60)) { worker.produced(to: "test.out") >= 200 })
        worker.worker.raiseFatalClientErrorForTesting()
        #expect(waitUntil(timeout: .seconds(30)) { worker.failure != nil })
        #expect(worker.failure?.contains("fatalClientError") == true, "\(worker.failure ?? "no failure")")
        #expect(!worker.worker.status.isAlive)
        #expect(worker.worker.status.notReadyReason?.hasPrefix("fatal error") == true)
    }
}
