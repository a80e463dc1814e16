import BusKafka
import CHeapStats
import Foundation

/// Sends records with headers through every producer path, success and failure, in rounds,
/// and prints the process's memory after each round:
/// `round <n> rss_kib <kib> records <n> heap_bytes <bytes in use>`.
///
/// Each round uses a fresh cluster (the mock keeps every record in memory) and fresh
/// clients, so what stays is what leaked. Paths: delivered records with headers (some with
/// null header values, tombstones, empty values), records refused at once (too large),
/// records failed by the broker (injected errors, no retries), records purged on close
/// while the broker is down, and a consumer reading the round's records with their headers.
///
/// `simulatedLeak` bytes are deliberately leaked per record when non-zero: the test's control
/// run, proving the check can fail.
struct LeakCheck {
    let records: Int
    let rounds: Int
    var simulatedLeak = 0

    func run() throws {
        let perRound = max(records / rounds, 1)
        for round in 1...rounds {
            try runRound(perRound)
            let line = "round \(round) rss_kib \(residentKiB()) records \(perRound * round) heap_bytes \(heapInUse())\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }

    private func runRound(_ count: Int) throws {
        let cluster = try EmbeddedCluster(brokers: 1)
        try cluster.createTopic("leak", partitions: 3)
        var config = cluster.clientConfig()
        config.set("enable.idempotence", "false")
        config.set("retries", "0")
        let producer = try KafkaProducer(config: config)
        let big = Data(repeating: 1, count: 1_100_000)
        let done = Countdown(count)
        for i in 0..<count {
            let headers = [
                KafkaHeader(key: "ce_id", string: "id-\(i)"),
                KafkaHeader(key: "traceparent", string: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                KafkaHeader(key: "empty", value: i % 2 == 0 ? nil : Data()),
            ]
            let value: Data? = switch i % 10 {
            case 0: big  // refused at once: larger than message.max.bytes
            case 1: nil  // tombstone
            case 2: Data()
            default: Data("value-\(i)".utf8)
            }
            if i == count / 2 { cluster.injectErrors(Array(repeating: .requestTimedOut, count: 20), on: .produce) }
            if simulatedLeak > 0 { _ = malloc(simulatedLeak).map { memset($0, 1, simulatedLeak) } }
            producer.enqueue(ProducerRecord(topic: "leak", key: "k\(i % 100)", value: value, headers: headers)) { _ in done.tick() }
        }
        done.wait()

        // Purge path: records queued while the broker is down, failed by close.
        cluster.setBrokerDown(1)
        let purged = Countdown(200)
        for i in 0..<200 {
            producer.enqueue(ProducerRecord(topic: "leak", key: "p\(i)", value: Data("p".utf8), headers: [KafkaHeader(key: "h", string: "v")])) { _ in purged.tick() }
        }
        producer.close(timeout: .milliseconds(100))
        purged.wait()
        cluster.setBrokerUp(1)

        // Consumer path: read back what was delivered, headers included.
        var readerConfig = cluster.clientConfig()
        readerConfig.set("enable.partition.eof", "true")
        let consumer = try KafkaConsumer(config: readerConfig)
        try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<3).map { (TopicPartition(topic: "leak", partition: Int32($0)), StartOffset.beginning) }))
        var ended = Set<TopicPartition>()
        let deadline = ContinuousClock.now + .seconds(20)
        while ended.count < 3, ContinuousClock.now < deadline {
            if case .partitionEnd(let partition, _) = consumer.poll(timeout: .milliseconds(50)) { ended.insert(partition) }
        }
        consumer.close()
    }

    /// Bytes allocated with malloc and not freed: unlike the resident set, not blurred by
    /// fragmentation or by freed memory the allocator keeps.
    private func heapInUse() -> Int {
        Int(bus_heap_bytes_in_use())
    }
}
