import BusKafka
import BusSchema
import Foundation

/// Builds the dead-letter record of an input that could not be processed.
///
/// The original key, value and headers are kept, so an operator can replay the record to
/// its original topic once the cause is fixed, with the `bus_*` headers saying why, where
/// it came from and when. One exception: anything that looks like a card number is masked
/// (first 6 and last 4 digits kept) in the value and the headers, since a card number must
/// reach no topic and no log.
enum DeadLetter {
    /// The headers a dead letter adds.
    enum Header {
        static let reason = "bus_error_reason"
        static let code = "bus_error_code"
        static let field = "bus_error_field"
        static let originalTopic = "bus_original_topic"
        static let originalPartition = "bus_original_partition"
        static let originalOffset = "bus_original_offset"
        static let worker = "bus_worker"
        static let failedAt = "bus_failed_at"
        static let attempts = "bus_attempts"
    }

    static func record(
        for input: ConsumedRecord, topic: String, worker: String,
        code: String, reason: String, field: String?, attempts: Int, now: Date = Date()
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
        return ProducerRecord(
            topic: topic, key: input.key.map(CardNumberDetector.mask),
            value: input.value.map(CardNumberDetector.mask), headers: headers)
    }
}
