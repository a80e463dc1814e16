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
    /// On a dead letter too large for Kafka: `original_bytes=<n>`, the value is cut to fit.
    public static let valueTruncated = "bus_value_truncated"
    /// On a dead letter whose value could not be kept at all: `original_bytes=<n>`.
    public static let valueDropped = "bus_value_dropped"
    /// On a dead letter whose original headers did not fit: `original_bytes=<n>`.
    public static let headersDropped = "bus_headers_dropped"
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
        code: String, reason: String, field: String?, attempts: Int, details: [String: String] = [:], maxBytes: Int,
        now: Date = Date()
    ) -> ProducerRecord {
        let original = input.headers.map { header in
            KafkaHeader(key: header.key, value: header.value.map(CardNumberDetector.mask))
        }
        var headers: [KafkaHeader] = []
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
        let letter = ProducerRecord(
            topic: topic, key: input.key.map(CardNumberDetector.mask),
            value: input.value.map(CardNumberDetector.mask), headers: original + headers)
        return fitted(letter, maxBytes: maxBytes)
    }

    /// The smallest dead letter of a record: key and the `bus_*` headers only, the value
    /// and the original headers dropped (each with a header saying how large it was). Sent
    /// when Kafka refused the full one, so even then the reason reaches operators.
    static func minimal(_ letter: ProducerRecord) -> ProducerRecord {
        var headers = letter.headers.filter { $0.key.hasPrefix(Header.busPrefix) && $0.key != Header.valueTruncated }
        let originalHeaders = letter.headers.filter { !$0.key.hasPrefix(Header.busPrefix) }
        if !originalHeaders.isEmpty {
            headers.append(KafkaHeader(key: Header.headersDropped, string: "original_bytes=\(headerBytes(originalHeaders))"))
        }
        if let value = letter.value, !letter.headers.contains(where: { $0.key == Header.valueDropped }) {
            let size = letter.headers.string(Header.valueTruncated) ?? "original_bytes=\(value.count)"
            headers.append(KafkaHeader(key: Header.valueDropped, string: size))
        }
        return ProducerRecord(topic: letter.topic, key: letter.key, value: letter.value == nil ? nil : Data(), headers: headers)
    }

    /// Whether the record is already the smallest dead letter `minimal` makes.
    static func isMinimal(_ letter: ProducerRecord) -> Bool {
        (letter.value?.isEmpty ?? true) && letter.headers.allSatisfy { $0.key.hasPrefix(Header.busPrefix) }
    }

    /// Room kept below `message.max.bytes` for the record's framing in librdkafka's size
    /// check (at most 36 bytes of varints in a v2 record) and the broker's batch header.
    static let framingAllowance = 512

    /// The letter cut to fit `maxBytes`: a record at the limit is legal on the input topic
    /// (a Java producer may send up to ~1 MB), and its dead letter carries ~10 headers more,
    /// which librdkafka would refuse with `MSG_SIZE_TOO_LARGE`. The reason and the origin
    /// always stay; the value is truncated (`bus_value_truncated: original_bytes=<n>`), and
    /// if the headers alone are too large, the original headers are dropped too.
    static func fitted(_ letter: ProducerRecord, maxBytes: Int) -> ProducerRecord {
        let budget = maxBytes - framingAllowance
        guard size(of: letter) > budget else { return letter }
        var fitted = letter
        let value = letter.value ?? Data()
        // The header saying so is itself counted.
        let note = KafkaHeader(key: Header.valueTruncated, string: "original_bytes=\(value.count)")
        fitted.headers.append(note)
        let room = budget - size(of: ProducerRecord(topic: letter.topic, key: letter.key, value: nil, headers: fitted.headers))
        if room > 0, letter.value != nil {
            fitted.value = value.prefix(room)
            return fitted
        }
        return minimal(letter)
    }

    /// The bytes librdkafka counts against `message.max.bytes`, framing aside: key, value
    /// and each header's name and value with their length varints.
    static func size(of record: ProducerRecord) -> Int {
        (record.key?.count ?? 0) + (record.value?.count ?? 0) + headerBytes(record.headers)
    }

    private static func headerBytes(_ headers: [KafkaHeader]) -> Int {
        headers.reduce(0) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) + 10 }
    }
}
