import CRdKafka
import Foundation
import Synchronization

/// A Kafka consumer driven by its caller's polling loop.
///
/// Why polling rather than an `AsyncSequence`: librdkafka runs rebalance callbacks inside
/// the poll call, on the polling thread. Driving the poll from the runtime's own loop means
/// a revoke is handled *before* the partitions are given up, with the loop's in-flight
/// state at hand, and pause/resume/seek happen in order with the records read. A sequence
/// would need a buffer between librdkafka and the reader, and a revoke could overtake
/// records still in that buffer.
///
/// Offsets: nothing is stored automatically (`enable.auto.offset.store=false`); the caller
/// stores the offset after the last processed record, and only stored offsets are committed
/// (automatically every second, on `commit()`, and on `close()`).
public final class KafkaConsumer: @unchecked Sendable {
    let client: NativeClient
    private let closed = Atomic<Bool>(false)

    /// Default consumer settings; explicit settings in the configuration win.
    public static let defaults: [(String, String)] = [
        ("enable.auto.offset.store", "false"),
        ("enable.auto.commit", "true"),
        ("auto.commit.interval.ms", "1000"),
        ("auto.offset.reset", "earliest"),
        // Eager: librdkafka 2.0.2's cooperative-sticky hangs on close (see KafkaConfig.Assignor).
        ("partition.assignment.strategy", "range"),
    ]

    /// Creates a consumer.
    ///
    /// With a group id, it can `subscribe` and commit. Without one it is a reader: it
    /// `assign`s partitions itself and never commits (librdkafka needs a group id even for
    /// `assign`, so a private one is made up, and auto-commit is turned off).
    public init(config: KafkaConfig, onEvent: KafkaClientEventHandler? = nil) throws(KafkaError) {
        var defaults = Self.defaults
        if config.groupID == nil, config.value(of: "group.id") == nil {
            defaults += [("group.id", "bus-reader-\(UInt64.random(in: 0...UInt64.max))"), ("enable.auto.commit", "false")]
        }
        client = try NativeClient(
            type: RD_KAFKA_CONSUMER, config: config, defaults: defaults, onEvent: onEvent
        ) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
        }
        // Serve errors, logs and rebalances from consumer_poll rather than a second queue.
        rd_kafka_poll_set_consumer(client.handle)
    }

    deinit {
        close()
    }

    /// Sets what runs on each rebalance. It runs on the polling thread, inside `poll`;
    /// set it before `subscribe`.
    public func onRebalance(_ handler: @escaping @Sendable (RebalanceEvent) -> Void) {
        client.context.rebalance.withLock { $0 = handler }
    }

    /// Joins the consumer group and subscribes to `topics`.
    public func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = PartitionList(topics.map { TopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
        let err = rd_kafka_subscribe(client.handle, list.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(err, context: ["operation": "subscribe"])
        }
    }

    /// Reads the given partitions without a group (a table or changelog reader).
    public func assign(_ partitions: [TopicPartition: StartOffset]) throws(KafkaError) {
        let list = PartitionList(partitions.sorted { $0.key < $1.key }.map { ($0.key, $0.value.native) })
        let err = rd_kafka_assign(client.handle, list.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(err, context: ["operation": "assign"])
        }
    }

    /// Waits up to `timeout` for the next record or event. Returns nil when nothing came.
    /// Rebalance handlers run inside this call.
    public func poll(timeout: Duration) -> ConsumerEvent? {
        guard !closed.load(ordering: .acquiring),
              let message = rd_kafka_consumer_poll(client.handle, Int32(clamping: timeout.milliseconds))
        else { return nil }
        defer { rd_kafka_message_destroy(message) }
        return Self.event(from: message, client: client)
    }

    private static func event(from message: UnsafeMutablePointer<rd_kafka_message_t>, client: NativeClient) -> ConsumerEvent {
        let m = message.pointee
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        switch m.err {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
            let millis = rd_kafka_message_timestamp(message, &timestampType)
            return .record(ConsumedRecord(
                topic: topic, partition: m.partition, offset: m.offset,
                key: m.key.map { Data(bytes: $0, count: m.key_len) },
                value: m.payload.map { Data(bytes: $0, count: m.len) },
                headers: NativeHeaders.read(from: message),
                timestamp: millis >= 0 ? Date(timeIntervalSince1970: Double(millis) / 1000) : nil))
        case RD_KAFKA_RESP_ERR__PARTITION_EOF:
            return .partitionEnd(TopicPartition(topic: topic, partition: m.partition), offset: m.offset)
        case RD_KAFKA_RESP_ERR__FATAL:
            return .error(client.resolveFatalError())
        default:
            var context = ["operation": "consume"]
            if !topic.isEmpty { context["partition"] = "\(topic)[\(m.partition)]" }
            return .error(KafkaError(m.err, context: context))
        }
    }

    /// Stores the offsets to commit: for each partition, the offset of the *next* record to
    /// read (last processed + 1). Fails for partitions no longer assigned.
    public func store(_ nextOffsets: [TopicPartition: Int64]) throws(KafkaError) {
        guard !nextOffsets.isEmpty else { return }
        let list = PartitionList(nextOffsets.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let err = rd_kafka_offsets_store(client.handle, list.pointer)
        if let error = list.firstError(operation: "store offsets") { throw error }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(err, context: ["operation": "store offsets"])
        }
    }

    /// Stores the offset after `record`: everything up to and including it is processed.
    public func store(processed record: ConsumedRecord) throws(KafkaError) {
        try store([record.topicPartition: record.offset + 1])
    }

    /// Commits the stored offsets now and waits for the broker's answer.
    public func commit() throws(KafkaError) {
        let err = rd_kafka_commit(client.handle, nil, 0)
        // _NO_OFFSET: nothing stored since the last commit, which is success here.
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(err, context: ["operation": "commit"])
        }
    }

    /// Starts a commit of the stored offsets without waiting for the answer; a failed one is
    /// simply superseded by the next commit.
    public func commitAsync() {
        _ = rd_kafka_commit(client.handle, nil, 1)
    }

    /// Stops fetching from `partitions` (they stay assigned).
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = PartitionList(partitions)
        _ = rd_kafka_pause_partitions(client.handle, list.pointer)
        if let error = list.firstError(operation: "pause") { throw error }
    }

    /// Resumes fetching from `partitions`.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = PartitionList(partitions)
        _ = rd_kafka_resume_partitions(client.handle, list.pointer)
        if let error = list.firstError(operation: "resume") { throw error }
    }

    /// Moves the read position of assigned partitions; the next record read has that offset.
    public func seek(_ positions: [TopicPartition: Int64], timeout: Duration = .seconds(5)) throws(KafkaError) {
        let list = PartitionList(positions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        if let error = rd_kafka_seek_partitions(client.handle, list.pointer, Int32(clamping: timeout.milliseconds)) {
            throw KafkaError(consuming: error, context: ["operation": "seek"])
        }
        if let error = list.firstError(operation: "seek") { throw error }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let err = rd_kafka_assignment(client.handle, &list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: ["operation": "assignment"]) }
        defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
        return PartitionList.elements(of: list).map(\.partition)
    }

    /// Whether the current assignment was lost rather than given up (the session timed out,
    /// `max.poll.interval.ms` passed): another member may already own these partitions.
    /// Meaningful inside a revoke handler (`rd_kafka_assignment_lost`).
    public var assignmentLost: Bool { rd_kafka_assignment_lost(client.handle) != 0 }

    /// The group's committed offsets (next offset to read) for `partitions`; nil where none.
    public func committed(_ partitions: [TopicPartition], timeout: Duration = .seconds(10)) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = PartitionList(partitions)
        let err = rd_kafka_committed(client.handle, list.pointer, Int32(clamping: timeout.milliseconds))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: ["operation": "committed"]) }
        var out: [TopicPartition: Int64] = [:]
        for element in list.elements where element.offset >= 0 { out[element.partition] = element.offset }
        return out
    }

    /// The fatal error this consumer raised, if any.
    public var fatalError: KafkaError? { client.context.fatalError.withLock { $0 } }

    /// Leaves the group cleanly: the revoke handler runs, stored offsets are committed, and
    /// the group rebalances at once rather than after a session timeout. Idempotent.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = rd_kafka_consumer_close(client.handle)
    }

    /// Gives the client up as a crashed process would: no revoke handler, no commit, no
    /// group leave (the group notices only after `session.timeout.ms`). For crash tests.
    public func abandon() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        client.skipConsumerCloseOnDestroy()
    }
}

private let rebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
) -> Void = { handle, err, partitions, opaque in
    guard let handle else { return }
    let context = NativeClient.context(from: opaque)
    let handler = context?.rebalance.withLock { $0 }
    let changed = PartitionList.elements(of: partitions).map(\.partition)
    // NULL on error (rdkafka.h, rd_kafka_rebalance_protocol: "@returns NULL on error"), seen
    // in a revoke while the consumer closes: a crash there took the whole test run down.
    let protocolName: UnsafePointer<CChar>? = rd_kafka_rebalance_protocol(handle)
    let cooperative = protocolName.map { String(cString: $0) == "COOPERATIVE" } ?? false
    switch err {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        // Assign first, so the handler may pause or seek the partitions it receives.
        if cooperative {
            if let error = rd_kafka_incremental_assign(handle, partitions) { rd_kafka_error_destroy(error) }
        } else {
            _ = rd_kafka_assign(handle, partitions)
        }
        handler?(.assigned(changed))
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        // The handler runs while the partitions are still ours: it can commit them.
        handler?(.revoked(changed))
        if cooperative {
            if let error = rd_kafka_incremental_unassign(handle, partitions) { rd_kafka_error_destroy(error) }
        } else {
            _ = rd_kafka_assign(handle, nil)
        }
    default:
        handler?(.revoked(changed))
        _ = rd_kafka_assign(handle, nil)
        context?.onEvent?(.error(KafkaError(err, context: ["operation": "rebalance"])))
    }
}
