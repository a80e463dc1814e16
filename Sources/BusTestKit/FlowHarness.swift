import BusKafka
import BusRuntime
import BusSchema
import Foundation
import Synchronization

/// An embedded cluster with a flow's topics, workers running on their own threads, and
/// the reads a test needs. For tests only: this target is no product and ships nowhere.
public final class FlowHarness<F: Flow>: @unchecked Sendable {
    /// The cluster.
    public let cluster: EmbeddedCluster
    /// The consumer group every worker started here joins.
    public let group: String
    /// Partitions of each topic created.
    public let partitions: Int
    /// Message types known to the workers and readers.
    public let registry: MessageRegistry
    /// Every topic created, sorted.
    public let topics: [String]
    /// The flow's input topics.
    private let inputs: Set<String>

    /// A cluster with `topics` created with `partitions` partitions each, plus the flow's
    /// changelog, dead-letter, exception and control topics.
    public init(flow: F, topics: [String], partitions: Int = 4, brokers: Int = 1, registry: MessageRegistry = .standard) throws {
        cluster = try EmbeddedCluster(brokers: brokers)
        group = "\(flow.name)-\(UUID().uuidString.prefix(8))"
        self.partitions = partitions
        self.registry = registry
        inputs = Set(flow.inputs)
        let all = Set(topics + flow.inputs + flow.tables + [flow.changelogTopic, flow.deadLetterTopic, Topics.exceptions, Topics.control])
        self.topics = all.sorted()
        for topic in self.topics { try cluster.createTopic(topic, partitions: partitions) }
    }

    /// Leaves `placed` on broker 2 and moves every other topic and the group's coordinator to
    /// broker 1, so taking broker 2 down makes those topics unreachable and nothing else
    /// (needs a harness of two brokers or more).
    public func isolate(_ placed: [String], onBroker broker: Int32 = 2) {
        cluster.setGroupCoordinator(group, broker: 1)
        for topic in topics {
            for number in 0..<Int32(partitions) {
                cluster.setPartitionLeader(topic: topic, partition: number, broker: placed.contains(topic) ? broker : 1)
            }
        }
    }

    /// Processing options suited to tests: quick commits and short coalescing.
    public static var testOptions: ProcessingOptions { .forTests }

    /// Starts a worker for `flow` on its own thread.
    /// `configure` may add client properties (`queue.buffering.max.messages`, …).
    public func start(_ flow: F, name: String = "worker", options: ProcessingOptions = FlowHarness.testOptions,
                      configure: (inout KafkaConfig) -> Void = { _ in }) -> RunningWorker<F> {
        let logger = Logger(worker: flow.name, minimumLevel: .warn, sink: LogSink { _ in })
        var kafka = cluster.clientConfig(clientID: name)
        configure(&kafka)
        let worker = Worker(flow: flow, kafka: kafka, groupID: group,
                            registry: registry, options: options, logger: logger)
        return RunningWorker(worker)
    }

    /// Starts a worker for another flow on this harness's cluster, in a consumer group of its
    /// own: several workers of a pipeline on one cluster.
    public func start<G: Flow>(other flow: G, options: ProcessingOptions = FlowHarness.testOptions) -> RunningWorker<G> {
        let logger = Logger(worker: flow.name, minimumLevel: .warn, sink: LogSink { _ in })
        let worker = Worker(flow: flow, kafka: cluster.clientConfig(clientID: flow.name),
                            groupID: "\(flow.name)-\(UUID().uuidString.prefix(8))", options: options, logger: logger)
        return RunningWorker(worker)
    }

    /// Publishes records as an outside system would, waiting for every acknowledgement.
    public func publish(_ records: [ProducerRecord]) throws {
        let producer = try KafkaProducer(config: cluster.clientConfig())
        defer { producer.close() }
        let failures = Atomic<Int>(0)
        let remaining = Atomic<Int>(records.count)
        let done = DispatchSemaphore(value: 0)
        for record in records {
            producer.enqueue(record) { result in
                if case .failure = result { failures.add(1, ordering: .relaxed) }
                if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { done.signal() }
            }
        }
        if !records.isEmpty { done.wait() }
        let failed = failures.load(ordering: .acquiring)
        guard failed == 0 else { throw KafkaError(code: -1, name: "_TEST", message: "\(failed) record(s) not published", isRetriable: false, isFatal: false) }
    }

    /// Every record of `topic` from the beginning, read until `done` holds (then half a
    /// second more, to catch what should not be there) or `timeout` passes.
    public func read(_ topic: String, timeout: Duration = .seconds(300), until done: ([ConsumedRecord]) -> Bool) throws -> [ConsumedRecord] {
        let consumer = try KafkaConsumer(config: cluster.clientConfig())
        defer { consumer.close() }
        let count = try consumer.topics().first { $0.name == topic }?.partitions ?? partitions
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<count).map {
            (TopicPartition(topic: topic, partition: Int32($0)), StartOffset.beginning)
        }))
        var records: [ConsumedRecord] = []
        var deadline = ContinuousClock.now + timeout
        var satisfied = false
        while ContinuousClock.now < deadline {
            if case .record(let record)? = consumer.poll(timeout: .milliseconds(50)) { records.append(record) }
            if !satisfied, done(records) {
                satisfied = true
                deadline = min(deadline, .now + .milliseconds(500))
            }
        }
        return records
    }

    /// Every record of `topic` now, read until each partition's end.
    public func readAll(_ topic: String) throws -> [ConsumedRecord] {
        var config = cluster.clientConfig()
        config.set("enable.partition.eof", "true")
        let consumer = try KafkaConsumer(config: config)
        defer { consumer.close() }
        let count = try consumer.topics().first { $0.name == topic }?.partitions ?? partitions
        var behind = Set<TopicPartition>()
        var start: [TopicPartition: StartOffset] = [:]
        for number in 0..<count {
            let tp = TopicPartition(topic: topic, partition: Int32(number))
            start[tp] = .beginning
            let (low, high) = try consumer.watermarks(tp)
            if high > low { behind.insert(tp) }
        }
        try consumer.assign(start)
        var records: [ConsumedRecord] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while !behind.isEmpty, ContinuousClock.now < deadline {
            switch consumer.poll(timeout: .milliseconds(50)) {
            case .record(let record)?: records.append(record)
            case .partitionEnd(let tp, _)?: behind.remove(tp)
            default: break
            }
        }
        return records
    }

    /// The group's committed offsets for the flow's inputs.
    public func committed() throws -> [TopicPartition: Int64] {
        let consumer = try KafkaConsumer(config: cluster.clientConfig(groupID: group))
        defer { consumer.close() }
        let partitions = try consumer.topics().filter { inputs.contains($0.name) }.flatMap { topic in
            (0..<topic.partitions).map { TopicPartition(topic: topic.name, partition: Int32($0)) }
        }
        return try consumer.committed(partitions)
    }

    /// The end offsets of the flow's inputs: what "everything committed" means.
    public func inputEnds() throws -> [TopicPartition: Int64] {
        let consumer = try KafkaConsumer(config: cluster.clientConfig())
        defer { consumer.close() }
        var ends: [TopicPartition: Int64] = [:]
        for topic in try consumer.topics() where inputs.contains(topic.name) {
            for number in 0..<topic.partitions {
                let tp = TopicPartition(topic: topic.name, partition: Int32(number))
                let (_, high) = try consumer.watermarks(tp)
                if high > 0 { ends[tp] = high }
            }
        }
        return ends
    }

}

extension ProcessingOptions {
    /// Processing options suited to tests: quick commits and short coalescing.
    public static var forTests: ProcessingOptions {
        var options = ProcessingOptions()
        options.commitInterval = .milliseconds(200)
        options.coalescingLinger = .milliseconds(50)
        options.drainTimeout = .seconds(5)
        return options
    }
}

/// A worker running on its own thread, stoppable cleanly or as a crash.
public final class RunningWorker<F: Flow>: @unchecked Sendable {
    /// The worker.
    public let worker: Worker<F>
    private let stop = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let failureText = Mutex<String?>(nil)

    /// Runs `worker` on a thread of its own (a worker built by hand: another flow, another group).
    public init(_ worker: Worker<F>) {
        self.worker = worker
        let thread = Thread { [self] in
            do {
                try worker.run { self.stop.load(ordering: .acquiring) }
            } catch {
                failureText.withLock { $0 = "\(error)" }
            }
            finished.signal()
        }
        thread.start()
    }

    /// Why `run` threw, if it did.
    public var failure: String? { failureText.withLock { $0 } }

    /// Asks for a clean stop (drain, commit, leave) and waits for it.
    public func stopCleanly() {
        stop.store(true, ordering: .releasing)
        finished.wait()
    }

    /// Stops as a crash would: no drain, no commit.
    public func crash() {
        worker.abandon()
        finished.wait()
    }

    /// Records delivered to `topic` so far, from the worker's metrics.
    public func produced(to topic: String) -> Int {
        Int(metricSum(worker.metricsRegistry, "bus_records_produced_total{topic=\"\(topic)\"}"))
    }

    /// Inputs read so far, from the worker's metrics.
    public var consumed: Int {
        Int(metricSum(worker.metricsRegistry, "bus_records_consumed_total{"))
    }
}

/// The sum of the samples whose line starts with `prefix` (a metric name, with the start of
/// its labels if wanted) in a registry's Prometheus text.
public func metricSum(_ registry: MetricsRegistry, _ prefix: String) -> Double {
    registry.render().split(separator: "\n")
        .filter { $0.hasPrefix(prefix) }
        .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        .reduce(0, +)
}

/// Waits for a condition, polling.
public func waitUntil(timeout: Duration, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}
