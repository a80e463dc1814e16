import BusKafka
import BusSchema
import Foundation

/// The record key, checked once for every flow before the flow sees an input: it must sit
/// in the partition Kafka's Java partitioner gives it, and be the message's key field.
///
/// Why dead-letter a misplaced record rather than route it: the workers that join topics
/// (order-ingest, payment-letterer, status-notifier) keep an entity's state in the partition
/// its key hashes to. A record in another partition would be judged against another
/// partition's state, as an unknown entity, and never matched. Routing it (re-publishing to
/// the right partition) would hide a producer misconfigured for good behind a silent extra
/// hop and reorder it against the entity's other records; a dead letter names the expected
/// partition and the setting to fix (`partitioner=murmur2_random`), and `bus dlq replay`
/// puts it where its key belongs once the producer is fixed.
struct KeyPlacement: Sendable {
    typealias Rejection = RecordCodec<NoState>.Rejection

    /// The dead-letter code of a record in the wrong partition.
    static let wrongPartition = "wrong_partition"
    /// The dead-letter code of a record whose key is not its message's key field.
    static let keyMismatch = "key_mismatch"
    /// The dead-letter code of a message type the flow does not read on that topic.
    static let unexpectedType = "unexpected_type"

    private let worker: String
    private let handlers: [TopicMessage: FlowHandler.Key]
    private let misplacedCounter: Counter
    private let partitionCount: @Sendable (String) -> Int32?
    private var counts: [String: Int32] = [:]

    /// Checks inputs of `flow`; `partitionCount` asks the cluster how many partitions a topic has.
    init<F: Flow>(flow: F, misplaced: Counter, partitionCount: @escaping @Sendable (String) -> Int32?) {
        worker = flow.name
        handlers = Dictionary(flow.handlers.map { ($0.input, $0.key) }, uniquingKeysWith: { first, _ in first })
        misplacedCounter = misplaced
        self.partitionCount = partitionCount
    }

    /// The record as a flow input, once its partition, its type and its key are what the flow
    /// expects; otherwise why not. `decoded` is what `decoded(_:codec:)` made of the record
    /// ahead of its turn (on another thread), or nil to decode it now: the partition is
    /// checked first either way, so a misplaced record gets that reason whatever its payload.
    mutating func input<State>(
        from record: ConsumedRecord, codec: RecordCodec<State>, decoded: Result<FlowInput, RecordCodec<State>.Rejection>? = nil
    ) throws(RecordCodec<State>.Rejection) -> FlowInput {
        if let misplaced = misplacement(of: record) {
            misplacedCounter.increment(labels: ["topic": record.topic])
            throw .init(code: misplaced.code, reason: misplaced.reason, field: misplaced.field, details: misplaced.details)
        }
        if let decoded { return try decoded.get() }
        return try self.decoded(record, codec: codec)
    }

    /// The record decoded, its type and its key checked: everything `input` does but the
    /// partition check. Reads nothing that changes, so it may run on any thread.
    func decoded<State>(_ record: ConsumedRecord, codec: RecordCodec<State>) throws(RecordCodec<State>.Rejection) -> FlowInput {
        let input = try codec.input(from: record) { envelope in
            unexpected(TopicMessage(record.topic, envelope.type), knownTypes: codec.registry)
                .map { .init(code: $0.code, reason: $0.reason, field: $0.field) }
        }
        if let refused = check(input) {
            throw .init(code: refused.code, reason: refused.reason, field: refused.field)
        }
        return input
    }

    /// Why a keyed record is in the wrong partition, or nil when it is where its key belongs
    /// (or has no key, or the topic's partition count is unknown).
    mutating func misplacement(of record: ConsumedRecord) -> Rejection? {
        guard let key = record.key, let partitions = partitions(of: record.topic, seen: record.partition) else { return nil }
        let expected = Murmur2Partitioner.partition(of: key, partitions: partitions)
        guard expected != record.partition else { return nil }
        return Rejection(
            code: Self.wrongPartition,
            reason: "the key belongs to partition \(expected) of \(partitions) (murmur2, as Kafka's Java client partitions), "
                + "not \(record.partition): the producer must partition with murmur2 (librdkafka: \(Murmur2Partitioner.setting))",
            field: nil,
            details: [
                DeadLetterHeader.expectedPartition: String(expected),
                DeadLetterHeader.producerSetting: Murmur2Partitioner.setting,
            ])
    }

    /// Why a record of `row`'s type is not for this flow on that topic, told before its payload
    /// is decoded: a type the flow does not declare there, among those `knownTypes` holds (an
    /// unknown type is left to the decoding, which names it `unknown_type`).
    func unexpected(_ row: TopicMessage, knownTypes: MessageRegistry) -> Rejection? {
        guard !handlers.isEmpty, handlers[row] == nil, !knownTypes.versions(of: row.messageType).isEmpty else { return nil }
        return unexpectedType(row)
    }

    private func unexpectedType(_ row: TopicMessage) -> Rejection {
        Rejection(code: Self.unexpectedType, reason: "\(worker) does not read \(row.messageType) messages on \(row.topic); see topics/topics.json",
                  field: "ce_type")
    }

    /// Why a decoded input's type or key is not what the flow declares, or nil.
    func check(_ input: FlowInput) -> Rejection? {
        let row = TopicMessage(input.topic, input.envelope.type)
        let declared = handlers[row]
        if !handlers.isEmpty, declared == nil {
            return unexpectedType(row)
        }
        guard declared != .flowDefined, let (path, value) = input.message.keyFieldValue, input.key != value else { return nil }
        return Rejection(
            code: Self.keyMismatch,
            reason: "the record key must be the message's \(path): the key decides the partition, and so the state, that holds it",
            field: path)
    }

    /// The topic's partition count, asked again when a record comes from a partition beyond
    /// the one known (the topic grew).
    private mutating func partitions(of topic: String, seen partition: Int32) -> Int32? {
        if let known = counts[topic], partition < known { return known }
        guard let count = partitionCount(topic), count > partition else { return nil }
        counts[topic] = count
        return count
    }
}
