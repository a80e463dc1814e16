import BusKafka
import BusRuntime
import BusSchema
import Foundation
import Testing

/// A cluster with the echo flow's topics, and workers running on their own threads.
final class RuntimeHarness: @unchecked Sendable {
    let cluster: EmbeddedCluster
    let partitions: Int
    let group = "echo-\(UUID().uuidString.prefix(8))"

    init(partitions: Int = 4, brokers: Int = 1) throws {
        cluster = try EmbeddedCluster(brokers: brokers)
        self.partitions = partitions
        for topic in ["test.in", "test.out", "bus.echo.state"] { try cluster.createTopic(topic, partitions: partitions) }
        for topic in ["bus.dlq.echo", "bus.exceptions"] { try cluster.createTopic(topic, partitions: 1) }
    }

    var options: ProcessingOptions {
        var options = ProcessingOptions()
        options.commitInterval = .milliseconds(200)
        options.coalescingLinger = .milliseconds(50)
        return options
    }

    /// Starts a worker on its own thread.
    func start(_ flow: EchoFlow = EchoFlow(), name: String = "worker") -> RunningWorker {
        let logger = Logger(worker: "echo", minimumLevel: .warn, sink: LogSink { _ in })
        let worker = Worker(flow: flow, kafka: cluster.clientConfig(clientID: name), groupID: group,
                            registry: Echo.registry, options: options, logger: logger)
        return RunningWorker(worker)
    }

    func publish(_ records: [ProducerRecord]) throws {
        let producer = try KafkaProducer(config: cluster.clientConfig())
        let done = DispatchSemaphore(value: 0)
        let failures = Locked(0)
        let remaining = Locked(records.count)
        for record in records {
            producer.enqueue(record) { result in
                if case .failure = result { failures.withLock { $0 += 1 } }
                if remaining.withLock({ $0 -= 1; return $0 }) == 0 { done.signal() }
            }
        }
        if !records.isEmpty { done.wait() }
        producer.close()
        #expect(failures.withLock { $0 } == 0)
    }

    /// Every record of a topic, from the beginning, read until `done` holds (then a little
    /// longer, to catch what should not be there) or `timeout` passes.
    func read(_ topic: String, partitions count: Int? = nil, timeout: Duration = .seconds(30),
              until done: ([ConsumedRecord]) -> Bool) throws -> [ConsumedRecord] {
        var config = cluster.clientConfig()
        config.set("enable.partition.eof", "true")
        let consumer = try KafkaConsumer(config: config)
        defer { consumer.close() }
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<(count ?? partitions)).map {
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

    /// The group's committed offset per input partition.
    func committed() throws -> [TopicPartition: Int64] {
        let consumer = try KafkaConsumer(config: cluster.clientConfig(groupID: group))
        defer { consumer.close() }
        return try consumer.committed((0..<partitions).map { TopicPartition(topic: "test.in", partition: Int32($0)) })
    }
}

/// A worker running on a thread, stoppable cleanly or as a crash.
final class RunningWorker: @unchecked Sendable {
    let worker: Worker<EchoFlow>
    private let stop = Locked(false)
    private let finished = DispatchSemaphore(value: 0)
    let failure = Locked<String?>(nil)

    init(_ worker: Worker<EchoFlow>) {
        self.worker = worker
        let thread = Thread { [self] in
            do { try worker.run { self.stop.withLock { $0 } } } catch { failure.withLock { $0 = "\(error)" } }
            finished.signal()
        }
        thread.start()
    }

    /// Asks for a clean stop and waits for it.
    func stopCleanly() {
        stop.withLock { $0 = true }
        finished.wait()
    }

    /// Stops as a crash would: no drain, no commit.
    func crash() {
        worker.abandon()
        finished.wait()
    }

    var produced: Double {
        (worker.metricsRegistry.render().split(separator: "\n")
            .filter { $0.hasPrefix("bus_records_produced_total{topic=\"test.out\"}") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.first) ?? 0
    }
}
