import BusKafka
import BusSchema
import Foundation

/// The headers of a dead letter, as operators' tools read them. Every header the bus adds
/// starts with `bus_`.
public enum DeadLetterHeader {
    /// Why, in a sentence a person can act on (never a payload value).
    public static let reason = "bus_error_reason"
    /// A stable code: `undecodable`, `invalid`, `unknown_version`, `rejected`, `output_refused`, …
    public static let code = "bus_error_code"
    /// The JSON path (or header name) concerned, when there is one.
    public static let field = "bus_error_field"
    /// Where the record was read.
    public static let originalTopic = "bus_original_topic"
    /// Its partition there.
    public static let originalPartition = "bus_original_partition"
    /// Its offset there.
    public static let originalOffset = "bus_original_offset"
    /// The worker that gave up on it.
    public static let worker = "bus_worker"
    /// When, RFC 3339 UTC.
    public static let failedAt = "bus_failed_at"
    /// How many attempts were made.
    public static let attempts = "bus_attempts"
    /// On a `wrong_partition` dead letter: the partition the key belongs to (murmur2).
    public static let expectedPartition = "bus_expected_partition"
    /// On a `wrong_partition` dead letter: the producer setting to fix, `partitioner=murmur2_random`.
    public static let producerSetting = "bus_producer_setting"
    /// On a replayed record: the dead letter it came from, `bus.dlq.<worker>/<partition>/<offset>`.
    public static let replayedFrom = "bus_replayed_from"
    /// The prefix of every header the bus adds; a replay drops them all.
    public static let busPrefix = "bus_"
}

/// Builds the dead-letter record of an input that could not be processed.
///
/// The original key, value and headers are kept, so an operator can replay the record to
/// its original topic once the cause is fixed, with the `bus_*` headers saying why, where
/// it came from and when. One exception: anything that looks like a card number is masked
/// (first 6 and last 4 digits kept) in the value and the headers, since a card number must
/// reach no topic and no log.
enum DeadLetter {
    typealias Header = DeadLetterHeader

    static func record(
        for input: ConsumedRecord, topic: String, worker: String,
        code: String, reason: String, field: String?, attempts: Int, details: [String: String] = [:], now: Date = Date()
    ) -> ProducerRecord {
        var headers = input.headers.map { header in
            KafkaHeader(key: header.key, value: header.value.map(CardNumberDetector.mask))
        }
        headers.append(KafkaHeader(key: Header.reason, string: CardNumberDetector.mask(reason)))
        headers.append(KafkaHeader(key: Header.code, string: code))
        if let field { headers.append(KafkaHeader(key: Header.field, string: field)) }
        headers.append(KafkaHeader(key: Header.originalTopic, string: input.topic))
        headers.append(KafkaHeader(key: Header.originalPartition, string: String(input.partition)))
        headers.append(KafkaHeader(key: Header.originalOffset, string: String(input.offset)))
        headers.append(KafkaHeader(key: Header.worker, string: worker))
        headers.append(KafkaHeader(key: Header.failedAt, string: Instant(now).description))
        headers.append(KafkaHeader(key: Header.attempts, string: String(attempts)))
        for (name, value) in details.sorted(by: { $0.key < $1.key }) { headers.append(KafkaHeader(key: name, string: value)) }
        return ProducerRecord(
            topic: topic, key: input.key.map(CardNumberDetector.mask),
            value: input.value.map(CardNumberDetector.mask), headers: headers)
    }
}
