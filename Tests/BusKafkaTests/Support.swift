import BusKafka
import Foundation
import Testing

/// Test helpers: a cluster with topics, and a poll loop that collects records.
enum Support {
    static func cluster(brokers: Int = 1, topics: [String: Int]) throws -> EmbeddedCluster {
        let cluster = try EmbeddedCluster(brokers: brokers)
        for (name, partitions) in topics { try cluster.createTopic(name, partitions: partitions) }
        return cluster
    }

    static func uniqueGroup(_ name: String = #function) -> String {
        "\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))"
    }

    /// Polls until `count` records arrived or `timeout` passed.
    static func collect(
        _ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(30),
        onRecord: (ConsumedRecord) -> Void = { _ in }
    ) -> [ConsumedRecord] {
        var records: [ConsumedRecord] = []
        let deadline = ContinuousClock.now + timeout
        while records.count < count, ContinuousClock.now < deadline {
            if case .record(let record) = consumer.poll(timeout: .milliseconds(100)) {
                records.append(record)
                onRecord(record)
            }
        }
        return records
    }

    /// Polls for `duration`, collecting whatever arrives.
    static func drain(_ consumer: KafkaConsumer, for duration: Duration) -> [ConsumedRecord] {
        collect(consumer, count: .max, timeout: duration)
    }

    /// Every record of `topic` from the beginning, read without a group.
    static func readAll(_ cluster: EmbeddedCluster, topic: String, partitions: Int, expected: Int) throws -> [ConsumedRecord] {
        let consumer = try KafkaConsumer(config: cluster.clientConfig())
        defer { consumer.close() }
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<partitions).map {
            (TopicPartition(topic: topic, partition: Int32($0)), StartOffset.beginning)
        }))
        var records = collect(consumer, count: expected)
        // Read a little longer to catch duplicates beyond the expected count.
        records += drain(consumer, for: .milliseconds(500))
        return records
    }

    /// Sends records and waits for every outcome.
    static func sendAll(_ producer: KafkaProducer, _ records: [ProducerRecord]) async -> [Result<DeliveryReport, KafkaError>] {
        await withTaskGroup(of: (Int, Result<DeliveryReport, KafkaError>).self) { group in
            for (index, record) in records.enumerated() {
                group.addTask {
                    do { return (index, .success(try await producer.send(record))) }
                    catch let error as KafkaError { return (index, .failure(error)) }
                    catch { return (index, .failure(KafkaError(code: -1, name: "?", message: "\(error)", isRetriable: false, isFatal: false))) }
                }
            }
            var results = [Result<DeliveryReport, KafkaError>?](repeating: nil, count: records.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    /// Enqueues records on the hot path and waits for every completion.
    static func enqueueAll(_ producer: KafkaProducer, _ records: [ProducerRecord]) -> [Result<DeliveryReport, KafkaError>] {
        let results = ResultCollector(count: records.count)
        for (index, record) in records.enumerated() {
            producer.enqueue(record) { results.set(index, $0) }
        }
        results.wait(timeout: .seconds(120))
        return results.all
    }
}

/// Collects completions from the producer's thread.
final class ResultCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<DeliveryReport, KafkaError>?]
    private var remaining: Int
    private let done = DispatchSemaphore(value: 0)

    init(count: Int) {
        results = Array(repeating: nil, count: count)
        remaining = count
        if count == 0 { done.signal() }
    }

    func set(_ index: Int, _ result: Result<DeliveryReport, KafkaError>) {
        lock.lock()
        precondition(results[index] == nil, "completion called twice for record \(index)")
        results[index] = result
        remaining -= 1
        let finished = remaining == 0
        lock.unlock()
        if finished { done.signal() }
    }

    func wait(timeout: Duration) {
        _ = done.wait(timeout: .now() + .milliseconds(Int(timeout.components.seconds * 1000)))
    }

    var all: [Result<DeliveryReport, KafkaError>] {
        lock.lock(); defer { lock.unlock() }
        return results.compactMap { $0 }
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
