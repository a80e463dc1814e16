import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// A stop must end within its deadline by itself, whatever the cluster does: the drain, the
/// commit attempt and the consumer's and producer's close share it. The watchdog in
/// `WorkerMain` (exit 1 at the deadline) is the last resort, not the bound.
@Suite("Worker runtime: shutdown within its deadline")
struct StopWithBrokersDownTests {
    @Test("every broker down (coordinator included) with outputs in flight: a clean stop still ends within the drain deadline")
    func stopWithEveryBrokerDown() throws {
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 3000))
        let worker = harness.start(EchoFlow())
        #expect(waitUntil(timeout: .seconds(60)) { worker.produced(to: "test.out") >= 200 })
        harness.cluster.setBrokerDown(1)
        Thread.sleep(forTimeInterval: 1)

        let stopped = Locked(false)
        let asked = ContinuousClock.now
        Thread {
            worker.stopCleanly()
            stopped.update { $0 = true }
        }.start()
        let bound = ProcessingOptions.forTests.drainTimeout + .seconds(3)
        let inTime = waitUntil(timeout: bound) { stopped.value }
        let took = ContinuousClock.now - asked
        print("stop with every broker down took \(took)")
        #expect(inTime, "stopped within \(bound) (drain timeout + 3 s) with every broker down: took \(took)")
        #expect(metricSum(worker.worker.metricsRegistry, "bus_drain_timeouts_total") >= 1, "outputs were in flight: the drain gave up at its deadline")
        // Let a stop that hangs end, so the test process is left clean.
        harness.cluster.setBrokerUp(1)
        _ = waitUntil(timeout: .seconds(60)) { stopped.value }
        #expect(worker.failure == nil)
    }
}
