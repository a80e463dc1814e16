import BusKafka
import BusRuntime
import BusSchema
import Foundation

/// The worker runtime against the Kafka layer's passthrough, in one run on one cluster:
/// the same records through a bare consume → produce → store loop, then through a worker
/// running `flow` (decode, validate, handle, encode, state, commit). Prints both rates and
/// their ratio.
struct RuntimeBenchmark<F: Flow> {
    let flow: F
    let records: [ProducerRecord]
    let label: String
    /// When the flow's work is done, judged from the worker's metrics.
    let finished: (_ metrics: MetricsRegistry) -> Bool

    func run() throws {
        let cluster = try EmbeddedCluster(brokers: 1)
        let partitions = 6
        let topics = Set(flow.inputs + [flow.changelogTopic, flow.deadLetterTopic, Topics.exceptions, Topics.control, "bench.copy"]
            + outputTopics)
        for topic in topics.sorted() { try cluster.createTopic(topic, partitions: partitions) }
        try publishAll(records, config: cluster.clientConfig())

        let passthrough = try KafkaBenchmark.passthrough(
            cluster: cluster, from: flow.inputs[0], to: "bench.copy", partitions: partitions, records: records.count)

        let metrics = MetricsRegistry()
        let logger = Logger(worker: flow.name, minimumLevel: .error)
        var options = ProcessingOptions()
        options.gaugeInterval = .milliseconds(10)  // "inputs in flight" must be fresh to see the end
        let worker = BenchWorker(Worker(flow: flow, kafka: cluster.clientConfig(), groupID: "bench-\(flow.name)",
                                        options: options, logger: logger, metricsRegistry: metrics))
        // Timed from the first input read, so the group join (3 s on the mock) is left out.
        while Self.sum(metrics, "bus_records_consumed_total{") == 0 { Thread.sleep(forTimeInterval: 0.02) }
        let started = ContinuousClock.now
        while !finished(metrics) { Thread.sleep(forTimeInterval: 0.02) }
        let seconds = (ContinuousClock.now - started).seconds
        worker.stop()

        let rate = Double(records.count) / seconds
        let baseline = Double(records.count) / passthrough
        say("\(label): \(records.count) inputs, \(partitions) partitions")
        say("kafka passthrough".padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: "%9.0f inputs/s", baseline))
        say(flow.name.padding(toLength: 20, withPad: " ", startingAt: 0) + String(format: "%9.0f inputs/s", rate))
        say(flow.name + String(format: " / passthrough = %.2f", rate / baseline))
    }

    private var outputTopics: [String] { ["shop.availability", "bench.out"] }

    static func sum(_ registry: MetricsRegistry, _ prefix: String) -> Double {
        registry.render().split(separator: "\n").filter { $0.hasPrefix(prefix) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }
}

/// A flag another thread sets once.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

extension Duration {
    /// In seconds, as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
