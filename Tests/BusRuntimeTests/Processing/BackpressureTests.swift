import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// When outputs cannot be delivered, a worker stops reading instead of filling memory: it
/// pauses its inputs at the cap on inputs in flight, says why on `/readyz`, reads on once the
/// outputs flow again, and still stops within its deadline while they do not.
@Suite("Worker runtime: bounded in flight")
struct BackpressureTests {
    static func options(cap: Int) -> ProcessingOptions {
        var options = FlowHarness<EchoFlow>.testOptions
        options.maxInputsInFlight = cap
        return options
    }

    @Test("outputs failing for a while: reading pauses at the cap, not ready with the reason, then everything is delivered")
    func pausesAtTheCap() throws {
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 3000))
        // Every produce request fails (retriably) until these run out: ~20 s of an output
        // broker refusing to take anything.
        harness.cluster.injectErrors(Array(repeating: .notEnoughReplicas, count: 200), on: .produce)
        let worker = harness.start(EchoFlow(), options: Self.options(cap: 100))
        #expect(waitUntil(timeout: .seconds(60)) { worker.worker.status.notReadyReason?.hasPrefix("inputs paused") == true })
        let reason = worker.worker.status.notReadyReason ?? ""
        #expect(reason.contains("the cap is 100"), "\(reason)")
        let first = worker.consumed
        Thread.sleep(forTimeInterval: 1)
        let second = worker.consumed
        #expect(first <= 100 && second == first, "reading stopped at the cap: \(first), then \(second)")

        let outputs = try harness.read("test.out", timeout: .seconds(300)) { records in
            Set(records.compactMap { $0.headers.string("ce_id") }).count >= 3000
        }
        #expect(worker.worker.status.notReadyReason == nil, "ready again once outputs flow")
        worker.stopCleanly()
        #expect(worker.failure == nil)
        DeliveryGuaranteeTests.checkExactlyOnceAfterDedup(outputs, inputs: 3000)
    }

    @Test("outputs never delivered: a stop still ends within the drain deadline, nothing committed beyond what was delivered")
    func stopsWithinDeadlineWhileOutputsHang() throws {
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 500))
        harness.cluster.injectErrors(Array(repeating: .notEnoughReplicas, count: 100_000), on: .produce)
        let worker = harness.start(EchoFlow(), options: Self.options(cap: 50))
        #expect(waitUntil(timeout: .seconds(60)) { worker.worker.status.notReadyReason?.hasPrefix("inputs paused") == true })
        let asked = ContinuousClock.now
        worker.stopCleanly()
        let took = ContinuousClock.now - asked
        #expect(took < FlowHarness<EchoFlow>.testOptions.drainTimeout + .seconds(4), "stopped in \(took)")
        #expect(worker.failure == nil)
        #expect(metricSum(worker.worker.metricsRegistry, "bus_drain_timeouts_total") >= 1, "the drain gave up at its deadline")
        #expect(try harness.committed().values.allSatisfy { $0 <= 0 }, "no input committed: none has its output")
    }
}
