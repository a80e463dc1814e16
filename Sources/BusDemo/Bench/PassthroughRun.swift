import BusKafka
import BusSchema
import Foundation

/// The Kafka layer's consume → produce passthrough over a flow's inputs, the figure every
/// worker is compared with: on a cluster of its own, a consumer already reading every input
/// partition, the inputs published in one burst, each copied to `bench.copy` with its key,
/// value and headers and its offset stored once the copy is acknowledged.
enum PassthroughRun {
    struct Figures {
        var seconds: Double
        /// From an input's publication (its timestamp) to its copy's acknowledgement.
        var latency: LatencyStats
    }

    static let copyTopic = "bench.copy"

    static func measure(_ records: [ProducerRecord], topics: [Topic]) throws -> Figures {
        let connection = try DemoClusterConnection(.embedded(brokers: 1), topics: topics)
        guard let cluster = connection.embedded else { throw DemoError("the passthrough needs an embedded cluster") }
        try cluster.createTopic(copyTopic, partitions: topics.map(\.partitions).max() ?? 1)
        let inputTopics = Set(records.map(\.topic))
        var start: [TopicPartition: StartOffset] = [:]
        for topic in topics where inputTopics.contains(topic.name) {
            for number in 0..<topic.partitions { start[TopicPartition(topic: topic.name, partition: Int32(number))] = .beginning }
        }
        var consumerConfig = connection.config(clientID: "bench-passthrough", groupID: "bench-passthrough")
        // As the workers are started on the embedded cluster (`workerEnvironment`): an empty
        // fetch there waits the full fetch.wait.max.ms (500 ms by default).
        consumerConfig.set("fetch.wait.max.ms", "10")
        let consumer = try KafkaConsumer(config: consumerConfig)
        let producer = try KafkaProducer(config: connection.config(clientID: "bench-passthrough"))
        defer {
            producer.close()
            consumer.close()
        }
        try consumer.assign(start)
        let done = BenchCountdown(records.count)
        let latencies = LatencyCollector()
        let copier = Thread {
            var consumed = 0
            let deadline = ContinuousClock.now + .seconds(300)
            while consumed < records.count, ContinuousClock.now < deadline {
                guard case .record(let record) = consumer.poll(timeout: .milliseconds(100)) else { continue }
                consumed += 1
                producer.enqueue(ProducerRecord(topic: copyTopic, key: record.key, value: record.value, headers: record.headers)) { _ in
                    try? consumer.store(processed: record)
                    if let published = record.timestamp { latencies.add(Date().timeIntervalSince(published)) }
                    done.tick()
                }
            }
        }
        copier.start()
        let started = ContinuousClock.now
        try BenchPublishing.publish(records, config: connection.config(clientID: "bench-inputs"))
        guard done.wait(timeout: .seconds(300)) else { throw DemoError("the passthrough did not copy every input within 300 s") }
        let seconds = (ContinuousClock.now - started).benchSeconds
        return Figures(seconds: seconds, latency: latencies.stats)
    }
}

/// Publishing a burst and waiting for every acknowledgement.
enum BenchPublishing {
    static func publish(_ records: [ProducerRecord], config: KafkaConfig) throws {
        let producer = try KafkaProducer(config: config)
        defer { producer.close() }
        let done = BenchCountdown(records.count)
        let failures = LatencyCollector()
        for record in records {
            producer.enqueue(record) { result in
                if case .failure = result { failures.add(0) }
                done.tick()
            }
        }
        guard done.wait(timeout: .seconds(120)) else { throw DemoError("publishing \(records.count) inputs took over 120 s") }
        guard failures.stats.samples.isEmpty else { throw DemoError("\(failures.stats.samples.count) inputs were refused by the cluster") }
    }
}

/// Waits for a number of completions from other threads.
final class BenchCountdown: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private let zero = DispatchSemaphore(value: 0)

    init(_ count: Int) {
        remaining = count
        if count == 0 { zero.signal() }
    }

    func tick() {
        let reachedZero = lock.withLock {
            remaining -= 1
            return remaining == 0
        }
        if reachedZero { zero.signal() }
    }

    /// True once every completion came, false after `timeout`.
    func wait(timeout: Duration) -> Bool {
        zero.wait(timeout: .now() + .milliseconds(Int(timeout.components.seconds * 1000))) == .success
    }
}

/// Latency samples added from any thread.
final class LatencyCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected = LatencyStats()

    func add(_ seconds: Double) {
        lock.withLock { collected.add(seconds) }
    }

    var stats: LatencyStats { lock.withLock { collected } }
}

extension Duration {
    /// In seconds, as a Double.
    var benchSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
