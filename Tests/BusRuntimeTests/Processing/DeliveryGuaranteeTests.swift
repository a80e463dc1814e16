import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// The runtime's delivery guarantees on the embedded cluster, with the echo flow.
@Suite("Worker runtime: at-least-once")
struct DeliveryGuaranteeTests {
    static let keys = 50

    static func inputs(count: Int, from start: Int = 0) -> [ProducerRecord] {
        (start..<(start + count)).map { i in Echo.input(key: "k\(i % keys)", n: Int64(i / keys)) }
    }

    /// Every input has exactly one distinct output once duplicates (same id) are removed,
    /// and duplicates are byte-identical.
    static func checkExactlyOnceAfterDedup(_ outputs: [ConsumedRecord], inputs: Int) {
        var byID: [String: ConsumedRecord] = [:]
        for record in outputs {
            guard let id = record.headers.string("ce_id") else { Issue.record("output without ce_id"); continue }
            if let seen = byID[id] {
                #expect(seen.value == record.value && seen.key == record.key, "a redelivered output is byte-identical")
            }
            byID[id] = record
        }
        let echoes = byID.values.compactMap(Echo.echo)
        #expect(byID.count == inputs, "one distinct output per input")
        let perInput = Dictionary(grouping: echoes) { "\($0.echo.key)#\($0.echo.n)" }
        #expect(perInput.count == inputs)
        #expect(perInput.values.allSatisfy { $0.count == 1 }, "no input has two different outputs")
        // State moved and replayed correctly: the count of each echo equals its position.
        #expect(echoes.allSatisfy { $0.echo.count == $0.echo.n + 1 }, "per-key counts survived every hand-over")
    }

    @Test("kill and restart: a crashed worker's successor completes every input, one output each after dedup", arguments: [11, 23, 37])
    func killAndRestart(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        let harness = try Echo.harness()
        try harness.publish(Self.inputs(count: 5000))
        let first = harness.start(EchoFlow(), name: "first")
        let crashAt = Int.random(in: 500...4500, using: &rng)
        #expect(waitUntil(timeout: .seconds(300)) { first.produced(to: "test.out") >= crashAt })
        first.crash()
        #expect(first.failure == nil)

        let second = harness.start(EchoFlow(), name: "second")
        let outputs = try harness.read("test.out", timeout: .seconds(300)) { records in
            Set(records.compactMap { $0.headers.string("ce_id") }).count >= 5000
        }
        second.stopCleanly()
        Self.checkExactlyOnceAfterDedup(outputs, inputs: 5000)
        #expect(try harness.committed() == harness.inputEnds(), "everything is committed after the clean stop")
    }

    @Test("a poison record between good ones is dead-lettered once with every header; the flow goes on in order")
    func poisonRecord() throws {
        let harness = try Echo.harness(partitions: 1)
        var records = (0..<10).map { Echo.input(key: "sku", n: Int64($0)) }
        var poison = Echo.input(key: "sku", n: 100)
        poison.value = Data("{not json".utf8)
        records.insert(poison, at: 4)
        records.insert(Echo.input(key: "sku", n: 666), at: 7)  // refused by the flow itself
        try harness.publish(records)
        let worker = harness.start(EchoFlow())
        let outputs = try harness.read("test.out") { $0.count >= 10 }
        let letters = try harness.read("bus.dlq.echo") { $0.count >= 2 }
        worker.stopCleanly()

        #expect(outputs.compactMap(Echo.echo).map(\.echo.n) == Array(0..<10), "good records processed in order")
        #expect(letters.count == 2, "each bad record dead-lettered once")
        let malformed = try #require(letters.first)
        #expect(malformed.value == Data("{not json".utf8), "original bytes kept")
        #expect(malformed.keyString == "sku")
        #expect(malformed.headers.string("ce_id") == "in-sku-100", "original headers kept")
        for header in ["bus_error_reason", "bus_error_field", "bus_original_topic", "bus_original_partition",
                       "bus_original_offset", "bus_worker", "bus_failed_at", "bus_attempts"] where header != "bus_error_field" {
            #expect(malformed.headers.string(header) != nil, "\(header) present")
        }
        #expect(malformed.headers.string("bus_original_topic") == "test.in")
        #expect(malformed.headers.string("bus_original_offset") == "4")
        #expect(malformed.headers.string("bus_worker") == "echo")
        #expect(malformed.headers.string("bus_error_code") == "undecodable")
        let refused = letters[1]
        #expect(refused.headers.string("bus_error_field") == "$.n")
        #expect(refused.headers.string("bus_error_reason") == "the number of the beast is refused")
        #expect(try harness.committed()[TopicPartition(topic: "test.in", partition: 0)] == 12)
    }
}
