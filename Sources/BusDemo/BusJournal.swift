import BusKafka
import BusSchema
import Foundation

/// One record seen on the cluster, with what the demo needs of it: its CloudEvents
/// attributes, its broker timestamp and, when it is a bus message, the decoded message.
struct ObservedRecord: Sendable {
    let topic: String
    let partition: Int32
    let offset: Int64
    let key: String?
    /// `ce_id`, `ce_causationid`, `ce_source`, `ce_type`; nil when absent.
    let id: String?
    let causation: String?
    let source: String?
    let type: String?
    /// `ce_time`: the input time flows keep their partition clocks by; nil when absent.
    let time: Instant?
    /// When the broker stored it (the producer's create time on the embedded cluster).
    let timestamp: Date?
    /// The message, for a valid record of a message topic; nil for tombstones, changelogs,
    /// dead letters and anything undecodable.
    let message: (any BusMessage)?
    /// The headers, for dead letters (`bus_error_reason`, ...).
    let headers: [KafkaHeader]
    /// The value's bytes; nil for a tombstone.
    let value: Data?

    /// The message as `M`, if it is one.
    func message<M: BusMessage>(as type: M.Type) -> M? { message as? M }

    /// A header's value.
    func header(_ name: String) -> String? { headers.string(name) }
}

/// Everything published on every catalogue topic during the demo, read by one consumer
/// from where every partition stood when the run began (the beginning, on its own embedded
/// cluster): the simulators react to it and the reconciliation and the latencies are
/// computed from it afterwards.
final class BusJournal {
    private let consumer: KafkaConsumer
    private let registry = MessageRegistry.standard
    /// Every record seen, in the order read.
    private(set) var records: [ObservedRecord] = []
    /// When the last record was read.
    private(set) var lastRecordAt = ContinuousClock.now
    /// The partition count of each topic read.
    let partitionCounts: [String: Int32]
    /// Where each partition stood when the run began: the run's records come after.
    let startOffsets: [TopicPartition: Int64]
    /// The offset after the last record read of each partition (its start before any).
    private(set) var nextOffsets: [TopicPartition: Int64]
    /// Records read per topic, and per topic and `ce_source`.
    private(set) var countsByTopic: [String: Int] = [:]
    private(set) var countsBySource: [String: [String: Int]] = [:]

    /// A reader of every partition of `topics` with `config`: from the beginning, or with
    /// `fromEnd` from each partition's end now (an existing cluster holds earlier runs).
    init(config: KafkaConfig, topics: [Topic], fromEnd: Bool) throws {
        consumer = try KafkaConsumer(config: config)
        partitionCounts = Dictionary(topics.map { ($0.name, Int32($0.partitions)) }, uniquingKeysWith: { a, _ in a })
        var start: [TopicPartition: StartOffset] = [:]
        var offsets: [TopicPartition: Int64] = [:]
        for topic in topics {
            for index in 0..<topic.partitions {
                let partition = TopicPartition(topic: topic.name, partition: Int32(index))
                let offset = fromEnd ? try consumer.watermarks(partition).high : 0
                start[partition] = fromEnd ? .offset(offset) : .beginning
                offsets[partition] = offset
            }
        }
        startOffsets = offsets
        nextOffsets = offsets
        try consumer.assign(start)
    }

    /// Reads what arrived, waiting at most `timeout` for the first record; at most `limit` records.
    func poll(timeout: Duration, limit: Int = 500) -> [ObservedRecord] {
        var batch: [ObservedRecord] = []
        var wait = timeout
        while batch.count < limit, let event = consumer.poll(timeout: wait) {
            wait = .zero
            guard case .record(let record) = event else { continue }
            batch.append(observe(record))
        }
        if !batch.isEmpty {
            for record in batch {
                nextOffsets[TopicPartition(topic: record.topic, partition: record.partition)] = record.offset + 1
                countsByTopic[record.topic, default: 0] += 1
                if let source = record.source { countsBySource[record.topic, default: [:]][source, default: 0] += 1 }
            }
            records += batch
            lastRecordAt = .now
        }
        return batch
    }

    /// Reads until every partition is read to its end as the broker states it now (its high
    /// watermark, asked once per partition; again for one whose end could not be asked), or
    /// `timeout` passes; `each` sees every record read. Returns the partitions still behind.
    ///
    /// Called once the workers have stopped, so the ends are final: the reconciliation then
    /// judges everything the bus wrote, not what a reader that stopped after a fixed quiet
    /// happened to have fetched (a partition led by a broker that was down a while ago can
    /// lag the others by more than a fetch).
    func catchUp(timeout: Duration, _ each: (ObservedRecord) throws -> Void) rethrows -> [JournalGap] {
        let deadline = ContinuousClock.now + timeout
        var ends: [TopicPartition: Int64] = [:]
        var gaps: [JournalGap] = []
        var lastSeen = nextOffsets
        var nextNudge = ContinuousClock.now + .seconds(3)
        repeat {
            for partition in nextOffsets.keys where ends[partition] == nil {
                ends[partition] = try? consumer.watermarks(partition, timeout: .seconds(2)).high
            }
            gaps = JournalGap.gaps(next: nextOffsets, ends: ends)
            if gaps.isEmpty { return [] }
            for record in poll(timeout: .milliseconds(50)) { try each(record) }
            if ContinuousClock.now >= nextNudge {
                // A partition behind that read nothing for 3 s is sought to where it stands:
                // its fetch starts again (one full chaos run read nothing of erp.stock[3] all
                // day, its records there and every flow's checks held).
                let stuck = nextOffsets.filter { partition, next in next < (ends[partition] ?? next) && lastSeen[partition] == next }
                if !stuck.isEmpty { try? consumer.seek(stuck, timeout: .seconds(2)) }
                lastSeen = nextOffsets
                nextNudge = ContinuousClock.now + .seconds(3)
            }
        } while ContinuousClock.now < deadline
        return JournalGap.gaps(next: nextOffsets, ends: ends)
    }

    /// Records of `topic`, in the order read (which is partition order per key).
    func records(on topic: String) -> [ObservedRecord] {
        records.filter { $0.topic == topic }
    }

    /// Messages of type `M` on `topic`, with their records.
    func messages<M: BusMessage>(_ type: M.Type, on topic: String) -> [(record: ObservedRecord, message: M)] {
        records.compactMap { record in
            guard record.topic == topic, let message = record.message(as: type) else { return nil }
            return (record, message)
        }
    }

    /// The last record of each key of `topic` (a key's records are in one partition, read in order).
    func latest(on topic: String) -> [String: ObservedRecord] {
        var latest: [String: ObservedRecord] = [:]
        for record in records where record.topic == topic {
            if let key = record.key { latest[key] = record }
        }
        return latest
    }

    /// Stops reading.
    func close() {
        consumer.close()
    }

    private func observe(_ record: ConsumedRecord) -> ObservedRecord {
        let pairs = record.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
        var message: (any BusMessage)?
        let readable = !record.topic.hasPrefix("bus.dlq.") && !record.topic.hasSuffix(".state")
        if readable, let value = record.value, let (envelope, payload) = try? Envelope.read(headers: pairs, value: value) {
            message = try? registry.decode(envelope, payload: payload)
        }
        return ObservedRecord(
            topic: record.topic, partition: record.partition, offset: record.offset, key: record.keyString,
            id: record.headers.string("ce_id"), causation: record.headers.string("ce_causationid"),
            source: record.headers.string("ce_source"), type: record.headers.string("ce_type"), time: record.headers.string("ce_time").flatMap(Instant.init),
            timestamp: record.timestamp, message: message, headers: record.headers, value: record.value)
    }
}
