import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// The metrics the dashboard and the alerts need, as a scrape sees them.
@Suite("Operations metrics")
struct OperationsMetricsTests {
    /// The label sets of `metric`'s series: `topic="test.in",partition="2"`.
    private static func series(_ registry: MetricsRegistry, _ metric: String) -> Set<String> {
        Set(registry.render().split(separator: "\n").filter { $0.hasPrefix(metric + "{") }.map { line in
            String(line.dropFirst(metric.count + 1).prefix { $0 != "}" })
        })
    }

    @Test("process metrics come from /proc at each scrape; build info names the worker and the librdkafka loaded")
    func processAndBuild() throws {
        let registry = MetricsRegistry()
        let status = WorkerStatus()
        try OperationsMetrics.register(worker: "order-ingest", status: status, in: registry)
        let first = registry.render()
        let rss = metricSum(registry, "process_resident_memory_bytes ")
        #expect(rss > 1_000_000, "this test process holds more than 1 MB: \(rss)")
        let start = metricSum(registry, "process_start_time_seconds ")
        #expect(abs(start - Date().timeIntervalSince1970) < 3_600 * 6, "started within the last hours: \(start)")
        #expect(metricSum(registry, "process_open_fds ") >= 3)
        #expect(metricSum(registry, "process_max_fds ") >= metricSum(registry, "process_open_fds "))
        #expect(first.contains("bus_build_info{worker=\"order-ingest\",version=\"\(BuildInfo.version)\",librdkafka=\"\(KafkaLibrary.version)\"} 1"))
        #expect(KafkaLibrary.version.hasPrefix("2."))
        // CPU time grows with work, and is read again at the next scrape.
        let cpuBefore = metricSum(registry, "process_cpu_seconds_total ")
        var spin = 0.0
        let until = ContinuousClock.now + .milliseconds(300)
        while ContinuousClock.now < until { spin += sin(spin) }
        #expect(metricSum(registry, "process_cpu_seconds_total ") > cpuBefore, "spin \(spin)")
        // Not ready: no partition assigned yet.
        #expect(metricSum(registry, "bus_ready ") == 0)
    }

    @Test("input age per partition; a partition's lag and age series move with it on a rebalance, never counted twice")
    func partitionSeriesFollowAssignment() throws {
        let harness = try Echo.harness(partitions: 4)
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 400))
        let first = harness.start(EchoFlow(), name: "a")
        defer { first.stopCleanly() }
        let a = first.worker.metricsRegistry
        #expect(waitUntil(timeout: .seconds(120)) { first.produced(to: "test.out") >= 400 && Self.series(a, "bus_consumer_lag").count == 4 })
        #expect(Self.series(a, "bus_input_age_seconds").count == 4, "one age per partition read: \(Self.series(a, "bus_input_age_seconds"))")
        // The inputs carry the producer's timestamps from moments ago.
        let age = metricSum(a, "bus_input_age_seconds{")
        #expect(age >= 0 && age < 4 * 300, "\(age)")

        let second = harness.start(EchoFlow(), name: "b")
        defer { second.stopCleanly() }
        let b = second.worker.metricsRegistry
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 400, from: 400))
        #expect(waitUntil(timeout: .seconds(120)) {
            !Self.series(b, "bus_consumer_lag").isEmpty && Self.series(a, "bus_consumer_lag").count < 4
        }, "b took partitions over")
        // Both scrape at once: each partition is reported by exactly one of them.
        #expect(waitUntil(timeout: .seconds(30)) {
            let lagA = Self.series(a, "bus_consumer_lag"), lagB = Self.series(b, "bus_consumer_lag")
            return lagA.isDisjoint(with: lagB) && lagA.count + lagB.count == 4
        }, "a: \(Self.series(a, "bus_consumer_lag")) b: \(Self.series(b, "bus_consumer_lag"))")
        #expect(Self.series(a, "bus_input_age_seconds").isDisjoint(with: Self.series(b, "bus_input_age_seconds")))
    }
}
