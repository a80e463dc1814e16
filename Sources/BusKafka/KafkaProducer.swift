import CRdKafka
import Foundation
import Synchronization

/// A Kafka producer: idempotent by default, every record gets exactly one outcome.
///
/// Delivery reports are served by a dedicated polling thread, so completions run there:
/// keep them short. `enqueue` never suspends (the hot path); `send` suspends until the
/// broker has acknowledged the record. When the local queue is full, both block until
/// deliveries make room (the producer's backpressure), unless the producer was made with
/// `blocksWhenFull: false`: then the record completes at once with `_QUEUE_FULL`, which is
/// retriable, and the caller decides how to hold back (a worker pauses its inputs).
public final class KafkaProducer: Sendable {
    let core: ProducerCore

    /// Default producer settings; explicit settings in the configuration win.
    ///
    /// Idempotence keeps retries from duplicating or reordering records; `acks=all` is
    /// implied by it. A record may be retried for up to `message.timeout.ms`.
    /// `partitioner=murmur2_random`: a key goes to the partition Java's client gives it
    /// (`Murmur2Partitioner`), the bus's contract; librdkafka's own default (CRC32) differs.
    /// Every producer of the bus is built here, so this is the one place it is set.
    public static let defaults: [(String, String)] = [
        ("enable.idempotence", "true"),
        (Murmur2Partitioner.property.name, Murmur2Partitioner.property.value),
        ("linger.ms", "5"),
        ("message.timeout.ms", "120000"),
    ]

    /// Creates a producer. Throws a `KafkaError` naming the property when a setting is refused.
    public init(config: KafkaConfig, onEvent: KafkaClientEventHandler? = nil, blocksWhenFull: Bool = true) throws(KafkaError) {
        let client = try NativeClient(
            type: RD_KAFKA_PRODUCER, config: config, defaults: Self.defaults, onEvent: onEvent
        ) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        }
        core = ProducerCore(client: client, blocksWhenFull: blocksWhenFull)
    }

    deinit {
        core.close(timeout: .seconds(5))
    }

    /// Enqueues a record without suspending; `completion` is called exactly once, on the
    /// polling thread, with where the record was stored or why it was not. A record refused
    /// before leaving the process (too large, unknown partition, closed producer) completes
    /// at once, on the caller's thread, and its error is also returned.
    @discardableResult
    public func enqueue(
        _ record: ProducerRecord,
        completion: @escaping @Sendable (Result<DeliveryReport, KafkaError>) -> Void
    ) -> KafkaError? {
        core.enqueue(record, completion: completion)
    }

    /// Produces a record and waits for the broker's acknowledgement.
    ///
    /// - Returns: the partition and offset the record was stored at.
    /// - Throws: `KafkaError` when the record could not be delivered.
    public func send(_ record: ProducerRecord) async throws -> DeliveryReport {
        try await withCheckedThrowingContinuation { continuation in
            core.enqueue(record) { continuation.resume(with: $0) }
        }
    }

    /// Waits until every enqueued record has its outcome, up to `timeout`.
    /// - Throws: `KafkaError` (timed out) when records are still outstanding.
    public func flush(timeout: Duration) throws(KafkaError) {
        try core.flush(timeout: timeout)
    }

    /// The number of records enqueued whose outcome is not known yet.
    public var outstanding: Int { core.outstanding }

    /// The largest record this producer accepts (`message.max.bytes`, key, value, headers and
    /// framing together): librdkafka refuses a larger one locally with `MSG_SIZE_TOO_LARGE`.
    public var maxMessageBytes: Int { core.client.intSetting("message.max.bytes") ?? 1_000_000 }

    /// The fatal error this producer raised, if any: it cannot produce any more.
    public var fatalError: KafkaError? { core.client.context.fatalError.withLock { $0 } }

    /// Raises a fatal error in the client as the broker or librdkafka would
    /// (`rd_kafka_test_fatal_error`): the producer is unusable afterwards. For fault tests.
    public func raiseFatalErrorForTesting() {
        _ = rd_kafka_test_fatal_error(core.client.handle, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, "raised by a fault test")
    }

    /// Fails every record not yet acknowledged (`_PURGE_QUEUE`, `_PURGE_INFLIGHT`) so none
    /// of them is sent after this returns; the producer stays usable.
    public func purge() {
        rd_kafka_purge(core.client.handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
    }

    /// Gives up every queued and in-flight record at once (they fail with `_PURGE_*`), as a
    /// crashed process would lose them, then closes: nothing queued here reaches a broker
    /// after this returns. For crash tests.
    public func abandon() {
        core.abandon()
    }

    /// Flushes for up to `timeout`, then fails what is left (`_PURGE_QUEUE`) and releases the
    /// client. Every pending completion is called before this returns. Idempotent.
    public func close(timeout: Duration = .seconds(10)) {
        core.close(timeout: timeout)
    }
}

/// The producer's state, retained by the polling thread so `KafkaProducer` can be released.
final class ProducerCore: Sendable {
    let client: NativeClient
    private let closed = Atomic<Bool>(false)
    private let pollerDone = DispatchSemaphore(value: 0)
    private let flags: Int32

    init(client: NativeClient, blocksWhenFull: Bool) {
        self.client = client
        // F_COPY: librdkafka copies key and value, so Swift may free them after the call.
        // F_BLOCK: wait when the queue is full; safe only because a dedicated thread polls for
        // the delivery reports that make room, and never wanted where a stop must not wait
        // on a broker that may never answer.
        flags = RD_KAFKA_MSG_F_COPY | (blocksWhenFull ? RD_KAFKA_MSG_F_BLOCK : 0)
        let thread = Thread { [self] in
            // rd_kafka_poll returns as soon as an event is served, so delivery latency is
            // not bounded by the timeout; the timeout only bounds how soon close() is seen.
            while !closed.load(ordering: .acquiring) {
                rd_kafka_poll(client.handle, 100)
            }
            pollerDone.signal()
        }
        thread.name = "kafka-producer-poll"
        thread.start()
    }

    var outstanding: Int { Int(rd_kafka_outq_len(client.handle)) }

    @discardableResult
    func enqueue(_ record: ProducerRecord, completion: @escaping @Sendable (Result<DeliveryReport, KafkaError>) -> Void) -> KafkaError? {
        guard !closed.load(ordering: .acquiring) else {
            completion(.failure(.closed))
            return .closed
        }
        let box = DeliveryBox(completion)
        let opaque = Unmanaged.passRetained(box).toOpaque()
        guard let error = produce(record, opaque: opaque) else { return nil }
        Unmanaged<DeliveryBox>.fromOpaque(opaque).release()
        completion(.failure(error))
        return error
    }

    /// Hands one record to librdkafka; nil when it was accepted.
    private func produce(_ record: ProducerRecord, opaque: UnsafeMutableRawPointer) -> KafkaError? {
        let headers = NativeHeaders.make(record.headers)
        let error: OpaquePointer? = record.topic.withCString { topic in
            record.key.withNullableBytes { key in
                record.value.withNullableBytes { value in
                    var fields = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 7)
                    fields[0].vtype = RD_KAFKA_VTYPE_TOPIC
                    fields[0].u.cstr = topic
                    fields[1].vtype = RD_KAFKA_VTYPE_PARTITION
                    fields[1].u.i32 = record.partition ?? RD_KAFKA_PARTITION_UA
                    fields[2].vtype = RD_KAFKA_VTYPE_KEY
                    fields[2].u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                    fields[2].u.mem.size = key.count
                    fields[3].vtype = RD_KAFKA_VTYPE_VALUE
                    fields[3].u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                    fields[3].u.mem.size = value.count
                    fields[4].vtype = RD_KAFKA_VTYPE_OPAQUE
                    fields[4].u.ptr = opaque
                    fields[5].vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    fields[5].u.i = flags
                    fields[6].vtype = RD_KAFKA_VTYPE_HEADERS
                    fields[6].u.headers = headers
                    return rd_kafka_produceva(client.handle, fields, fields.count)
                }
            }
        }
        guard let error else { return nil }
        // librdkafka takes ownership of the header list only when the call succeeds
        // (rd_kafka_produceva docs, "headers"); on failure it is ours to destroy.
        rd_kafka_headers_destroy(headers)
        var failure = KafkaError(consuming: error, context: ["topic": record.topic])
        if failure.isFatal { failure = client.resolveFatalError() }
        return failure
    }

    func flush(timeout: Duration) throws(KafkaError) {
        let err = rd_kafka_flush(client.handle, Int32(clamping: timeout.milliseconds))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(err, message: "flush timed out with \(outstanding) record(s) outstanding")
        }
    }

    func abandon() {
        rd_kafka_purge(client.handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
        close(timeout: .zero)
    }

    func close(timeout: Duration) {
        guard !closed.load(ordering: .acquiring) else { return }
        _ = rd_kafka_flush(client.handle, Int32(clamping: timeout.milliseconds))
        closed.store(true, ordering: .releasing)
        pollerDone.wait()
        // Whatever is still queued or in flight fails with _PURGE_*: its completion is
        // called by the polls below, so no caller waits forever and no box leaks.
        rd_kafka_purge(client.handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
        while rd_kafka_outq_len(client.handle) > 0 {
            rd_kafka_poll(client.handle, 50)
        }
    }
}

/// Carries one record's completion through librdkafka as the message opaque.
private final class DeliveryBox {
    let completion: @Sendable (Result<DeliveryReport, KafkaError>) -> Void
    init(_ completion: @escaping @Sendable (Result<DeliveryReport, KafkaError>) -> Void) {
        self.completion = completion
    }
}

private let deliveryReportCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
    handle, message, _ in
    guard let message, let opaque = message.pointee._private else { return }
    let box = Unmanaged<DeliveryBox>.fromOpaque(opaque).takeRetainedValue()
    let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
    let err = message.pointee.err
    guard err != RD_KAFKA_RESP_ERR_NO_ERROR else {
        box.completion(.success(DeliveryReport(
            topic: topic, partition: message.pointee.partition, offset: message.pointee.offset)))
        return
    }
    var error = KafkaError(err, context: ["topic": topic, "partition": String(message.pointee.partition)])
    if err == RD_KAFKA_RESP_ERR__FATAL, let handle,
       let context = NativeClient.context(from: rd_kafka_opaque(handle)) {
        error = context.fatalError.withLock { $0 } ?? error
    }
    box.completion(.failure(error))
}

extension Optional where Wrapped == Data {
    /// Calls `body` with the bytes, or with an empty buffer whose base address is nil for
    /// nil. An empty but present value gets a non-nil address: librdkafka reads a NULL
    /// pointer as a null value (a tombstone), and an empty value is not a tombstone.
    func withNullableBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let data = self else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        if data.isEmpty {
            return withUnsafeBytes(of: UInt8(0)) { body(UnsafeRawBufferPointer(start: $0.baseAddress, count: 0)) }
        }
        return data.withUnsafeBytes(body)
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, for librdkafka's `int` timeouts.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
