import BusKafka
@testable import BusRuntime
import Foundation
import Testing

/// A dead letter always fits the producer's limit and always keeps its reason.
@Suite("Dead letter: made to fit")
struct DeadLetterFitTests {
    static let limit = 1_000_000

    static func letter(valueBytes: Int, headerBytes: Int = 0) -> ProducerRecord {
        let input = ConsumedRecord(
            topic: "erp.stock", partition: 2, offset: 41, key: Data("SKU-7".utf8),
            value: Data(repeating: UInt8(ascii: "x"), count: valueBytes),
            headers: [KafkaHeader(key: "ce_id", string: "s-1"), KafkaHeader(key: "big", value: Data(count: headerBytes))])
        return DeadLetter.record(for: input, topic: "bus.dlq.w", worker: "w", code: "undecodable",
                                 reason: "the value is not JSON", field: nil, attempts: 1, maxBytes: limit)
    }

    @Test("a small input's letter is whole: value and headers as read")
    func smallIsWhole() {
        let record = Self.letter(valueBytes: 1000)
        #expect(record.value?.count == 1000)
        #expect(record.headers.string("ce_id") == "s-1")
        #expect(record.headers.string(DeadLetterHeader.valueTruncated) == nil)
    }

    @Test("value sizes around the limit: the letter fits, the reason stays, a cut is announced with the original size",
          arguments: [990_000, 999_000, 999_700, 1_000_000, 1_048_576, 5_000_000])
    func nearTheLimit(valueBytes: Int) {
        let record = Self.letter(valueBytes: valueBytes)
        #expect(DeadLetter.size(of: record) <= Self.limit - DeadLetter.framingAllowance)
        #expect(record.headers.string(DeadLetterHeader.code) == "undecodable")
        #expect(record.headers.string(DeadLetterHeader.originalOffset) == "41")
        if record.value?.count != valueBytes {
            #expect(record.headers.string(DeadLetterHeader.valueTruncated) == "original_bytes=\(valueBytes)")
            #expect((record.value?.count ?? 0) > Self.limit - 2_000, "cut no further than needed")
        }
    }

    @Test("headers alone over the limit: original headers and value dropped, each announced, bus headers kept")
    func hugeHeaders() {
        let record = Self.letter(valueBytes: 10, headerBytes: 1_200_000)
        #expect(DeadLetter.size(of: record) < 2_000)
        #expect(record.headers.string(DeadLetterHeader.headersDropped) != nil)
        #expect(record.headers.string(DeadLetterHeader.valueDropped) == "original_bytes=10")
        #expect(record.headers.string(DeadLetterHeader.reason) == "the value is not JSON")
        #expect(DeadLetter.isMinimal(record))
    }

    @Test("the fallback after a refusal keeps the reason and the origin, and is recognised as the last resort")
    func minimalFallback() {
        let full = Self.letter(valueBytes: 999_700)
        #expect(!DeadLetter.isMinimal(full))
        let minimal = DeadLetter.minimal(full)
        #expect(DeadLetter.isMinimal(minimal))
        #expect(minimal.value?.isEmpty == true)
        #expect(minimal.headers.string(DeadLetterHeader.valueDropped) == "original_bytes=999700")
        #expect(minimal.headers.string(DeadLetterHeader.originalTopic) == "erp.stock")
        #expect(minimal.headers.string("ce_id") == nil)
    }
}
