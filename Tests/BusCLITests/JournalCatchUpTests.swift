@testable import BusDemo
import BusKafka
import BusSchema
import Foundation
import Testing

/// The demo's journal is read to the end of every partition before anything is judged
/// (`BusJournal.catchUp`): the chaos run's "bad inputs" finding was an exception apparently
/// missing from the journal, and the journal used to stop after a fixed 300 ms of polling.
@Suite("journal catch-up")
struct JournalCatchUpTests {
    static let a = TopicPartition(topic: "bus.exceptions", partition: 0)
    static let b = TopicPartition(topic: "bus.exceptions", partition: 1)
    static let c = TopicPartition(topic: "shop.order-tracking", partition: 0)

    @Test("a partition is behind until read to its end, and one whose end is unknown counts as behind", arguments: [
        (next: [a: 5, b: 3], ends: [a: 5, b: 3], behind: [TopicPartition]()),
        (next: [a: 5, b: 3], ends: [a: 5, b: 4], behind: [b]),
        (next: [a: 0, b: 3, c: 2], ends: [a: 1, b: 3], behind: [a, c]),
        (next: [a: 6], ends: [a: 5], behind: []),
    ])
    func gaps(next: [TopicPartition: Int64], ends: [TopicPartition: Int64], behind: [TopicPartition]) {
        #expect(JournalGap.gaps(next: next, ends: ends).map(\.partition) == behind)
    }

    @Test("records written to a partition whose leader was just down are read before the catch-up returns")
    func readsToTheEndAfterAnOutage() throws {
        let cluster = try EmbeddedCluster(brokers: 3)
        let topic = "journal.catch-up"
        try cluster.createTopic(topic, partitions: 3)
        for partition in Int32(0)..<3 { cluster.setPartitionLeader(topic: topic, partition: partition, broker: partition + 1) }
        let journal = try BusJournal(config: cluster.clientConfig(clientID: "journal-test"),
                                     topics: [Topic(name: topic, description: "test", key: "k", partitions: 3, replication: 1, cleanup: .delete,
                                                    retentionMs: 60_000, messageTypes: [], writers: [], readers: [])],
                                     fromEnd: false)
        defer { journal.close() }
        let producer = try KafkaProducer(config: cluster.clientConfig(clientID: "journal-test-producer"))
        defer { producer.close() }
        func produce(_ count: Int, to partitions: [Int32]) throws {
            for partition in partitions {
                for index in 0..<count {
                    producer.enqueue(ProducerRecord(topic: topic, partition: partition, key: Data("k\(index)".utf8), value: Data("v".utf8))) { _ in }
                }
            }
            try producer.flush(timeout: .seconds(20))
        }
        try produce(20, to: [0, 1, 2])
        _ = journal.poll(timeout: .milliseconds(500))
        // The journal's leader of partition 1 goes away while it reads, and comes back with
        // records the journal has not fetched: its reconnection backs off past a short quiet.
        cluster.setBrokerDown(2)
        try produce(10, to: [0, 2])
        let outage = ContinuousClock.now
        while ContinuousClock.now - outage < .seconds(3) { _ = journal.poll(timeout: .milliseconds(50)) }
        cluster.setBrokerUp(2)
        try produce(30, to: [1])

        var seen = 0
        let gaps = journal.catchUp(timeout: .seconds(30)) { _ in seen += 1 }
        #expect(gaps.isEmpty, "\(gaps.map(\.description))")
        let read = Dictionary(grouping: journal.records, by: \.partition).mapValues(\.count)
        #expect(read == [0: 30, 1: 50, 2: 30], "records read per partition: \(read)")
        #expect(seen > 0)
    }
}

/// The wait before the workers stop (`GroupDrain`): a settled day is not the bus's end.
@Suite("group drain")
struct GroupDrainTests {
    /// Turns as a scripted sequence; the last repeats.
    static func run(_ turns: [GroupDrain.Turn], deadline: Duration = .seconds(30)) -> (turns: Int, left: [String: Int]) {
        var taken = 0
        let left = GroupDrain.wait(until: .now + deadline, pause: {}) {
            defer { taken += 1 }
            return turns[min(taken, turns.count - 1)]
        }
        return (taken, left)
    }

    @Test("it waits while a group has inputs left, and while the journal is behind even with no lag counted")
    func waitsForLagAndJournal() {
        let lagging = GroupDrain.Turn(gaps: 0, lagging: ["customer-sync": 2, "order-ingest": 0])
        let journalBehind = GroupDrain.Turn(gaps: 3, lagging: ["customer-sync": 0, "order-ingest": 0])
        let drained = GroupDrain.Turn(gaps: 0, lagging: ["customer-sync": 0, "order-ingest": 0])
        #expect(Self.run([lagging, journalBehind, drained]) == (3, [:]))
        #expect(Self.run([drained]) == (1, [:]))
    }

    @Test("past the deadline it stops, and names the groups with inputs left")
    func stopsAtTheDeadline() {
        let lagging = GroupDrain.Turn(gaps: 0, lagging: ["customer-sync": 2, "order-ingest": 0])
        let result = Self.run([lagging], deadline: .zero)
        #expect(result.turns == 1)
        #expect(result.left == ["customer-sync": 2])
    }
}
