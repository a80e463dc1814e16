import BusKafka
import Foundation

/// Raw produce, raw consume and consume→produce passthrough on one embedded cluster, in one
/// run, so the figures can be compared as ratios on a noisy machine.
///
/// The mock broker keeps at most 5 MiB per partition and drops the oldest beyond that, so
/// the default run (100,000 records of 200 bytes over 12 partitions) stays under it.
struct KafkaBenchmark {
    let records: Int
    let size: Int
    let partitions = 12

    func run() throws {
        let cluster = try EmbeddedCluster(brokers: 1)
        for topic in ["bench.in", "bench.out"] { try cluster.createTopic(topic, partitions: partitions) }
        let value = Data(repeating: 0x7A, count: size)
        let headers = [KafkaHeader(key: "ce_id", string: UUID().uuidString), KafkaHeader(key: "ce_type", string: "bench")]

        let produce = try measure {
            let producer = try KafkaProducer(config: cluster.clientConfig())
            let done = Countdown(records)
            for i in 0..<records {
                producer.enqueue(ProducerRecord(topic: "bench.in", key: "sku-\(i % 10_000)", value: value, headers: headers)) { _ in done.tick() }
            }
            done.wait()
            producer.close()
        }
        let consume = try measure {
            let consumer = try KafkaConsumer(config: cluster.clientConfig())
            try consumer.assign(allPartitions("bench.in", from: .beginning))
            var count = 0
            let deadline = ContinuousClock.now + .seconds(120)
            while count < records, ContinuousClock.now < deadline {
                if case .record = consumer.poll(timeout: .milliseconds(100)) { count += 1 }
            }
            consumer.close()
            guard count == records else { throw BenchmarkError.incomplete("consume read \(count) of \(records)") }
        }
        let passthrough = try Self.passthrough(cluster: cluster, from: "bench.in", to: "bench.out", partitions: partitions, records: records)

        let mb = Double(records * size) / 1_048_576
        func line(_ name: String, _ seconds: Double) -> String {
            name.padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: "%9.0f records/s  %7.1f MiB/s  (%.2f s)", Double(records) / seconds, mb / seconds, seconds)
        }
        say("Kafka layer on the embedded cluster: \(records) records of \(size) bytes, \(partitions) partitions, 2 headers")
        say(line("produce", produce))
        say(line("consume", consume))
        say(line("passthrough", passthrough))
        say(String(format: "passthrough / produce = %.2f, passthrough / consume = %.2f", produce / passthrough, consume / passthrough))
    }

    private func allPartitions(_ topic: String, from start: StartOffset) -> [TopicPartition: StartOffset] {
        Self.allPartitions(topic, partitions: partitions, from: start)
    }

    static func allPartitions(_ topic: String, partitions: Int, from start: StartOffset) -> [TopicPartition: StartOffset] {
        Dictionary(uniqueKeysWithValues: (0..<partitions).map { (TopicPartition(topic: topic, partition: Int32($0)), start) })
    }

    private func measure(_ body: () throws -> Void) rethrows -> Double {
        try Self.measure(body)
    }

    static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start).seconds
    }

    /// As a worker does at its simplest: consume, produce each record, store its offset once
    /// delivered. Returns the seconds it took for `records` records.
    static func passthrough(cluster: EmbeddedCluster, from input: String, to output: String, partitions: Int, records: Int) throws -> Double {
        try measure {
            let consumer = try KafkaConsumer(config: cluster.clientConfig(groupID: "bench-\(UUID().uuidString)"))
            let producer = try KafkaProducer(config: cluster.clientConfig())
            try consumer.assign(allPartitions(input, partitions: partitions, from: .beginning))
            let done = Countdown(records)
            var consumed = 0
            let deadline = ContinuousClock.now + .seconds(120)
            while consumed < records, ContinuousClock.now < deadline {
                guard case .record(let record) = consumer.poll(timeout: .milliseconds(100)) else { continue }
                consumed += 1
                producer.enqueue(ProducerRecord(topic: output, key: record.key, value: record.value, headers: record.headers)) { _ in
                    try? consumer.store(processed: record)
                    done.tick()
                }
            }
            guard consumed == records else { throw BenchmarkError.incomplete("passthrough read \(consumed) of \(records)") }
            done.wait()
            try? consumer.commit()
            producer.close()
            consumer.close()
        }
    }
}

/// One line of figures on standard output.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

enum BenchmarkError: Error {
    case incomplete(String)
}

/// Waits for a number of completions from other threads.
final class Countdown: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private let zero = DispatchSemaphore(value: 0)

    init(_ count: Int) { remaining = count }

    func tick() {
        lock.lock()
        remaining -= 1
        let done = remaining == 0
        lock.unlock()
        if done { zero.signal() }
    }

    func wait() { zero.wait() }
}
