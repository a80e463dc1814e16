import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import PaymentLettererFlow
import Testing

/// A site adapter on Python's confluent-kafka with its default partitioner (librdkafka's
/// CRC32 `consistent_random`) pays for an order whose sales order and invoice came from a
/// murmur2 producer (Java's partitioner, the bus's). The payment lands in another partition
/// than the order's state: it is dead-lettered `wrong_partition`, naming the partition and
/// the setting to fix, never taken for an unknown order. With the setting, it is lettered.
@Suite("payment-letterer: a payment from a CRC32 producer", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: PythonProducer.python.path), "run scripts/setup.sh for .venv-test"))
struct WrongPartitionTests {
    @Test("a payment in the partition CRC32 gives its key is dead-lettered wrong_partition with the expected partition; with murmur2_random it is lettered")
    func crc32PaymentIsDeadLettered() throws {
        let flow = PaymentLetterer()
        let harness = try FlowHarness(flow: flow, topics: [Topics.erpReceipts, Topics.erpLettering], partitions: 6)
        // WEB-400001: murmur2 → partition 4 of 6, CRC32 → partition 2.
        let order = "WEB-400001"
        let expected = Murmur2Partitioner.partition(of: order, partitions: 6)
        try harness.publish([
            Pay.record(try Pay.salesOrder(order: order, 5050, account: "C400001"), key: order),
            Pay.record(Pay.invoice("FA-400001", order: order, 5050, account: "C400001"), key: order),
        ])
        let payment = Pay.record(Pay.payment("pay_crc", order: order, .card, 5050), key: order, id: "evt-crc")
        let placed = try PythonProducer.publish([payment], to: harness.cluster)
        try #require(placed.count == 1)
        try #require(placed[0] != expected, "the key must hash differently under CRC32 (\(placed[0])) and murmur2 (\(expected))")

        let worker = harness.start(flow)
        let letters = try harness.read(flow.deadLetterTopic, timeout: .seconds(60)) { !$0.isEmpty }
        let letter = try #require(letters.first)
        #expect(letters.count == 1)
        #expect(letter.headers.string("bus_error_code") == "wrong_partition")
        #expect(letter.headers.string("bus_expected_partition") == String(expected))
        #expect(letter.headers.string("bus_producer_setting") == "partitioner=murmur2_random")
        #expect(letter.headers.string("bus_original_partition") == String(placed[0]))
        #expect(letter.headers.string("bus_error_reason")?.contains("partition \(expected) of 6") == true)
        #expect(letter.keyString == order && letter.value == payment.value, "the original key and value kept for a replay")
        #expect(metricSum(worker.worker.metricsRegistry, "bus_misplaced_records_total{topic=\"shop.payments\"}") == 1)
        #expect(try harness.readAll(Topics.erpReceipts).isEmpty, "no receipt for the misplaced payment")

        // The same adapter, told the setting the dead letter names: the payment is lettered.
        let fixed = Pay.record(Pay.payment("pay_fixed", order: order, .card, 5050), key: order, id: "evt-fixed")
        let placedFixed = try PythonProducer.publish([fixed], to: harness.cluster, settings: ["partitioner": "murmur2_random"])
        #expect(placedFixed == [expected])
        let entries = try harness.read(Topics.erpLettering, timeout: .seconds(60)) { records in
            records.contains { $0.message(LetteringEntry.self)?.remainder.amount == 0 }
        }
        worker.stopCleanly()
        #expect(worker.failure == nil)
        #expect(entries.compactMap { $0.message(LetteringEntry.self) }.contains { $0.remainder.amount == 0 }, "the invoice is lettered in full")
        #expect(try harness.readAll(flow.deadLetterTopic).count == 1, "nothing else refused")
    }
}

/// Publishes records with Python's confluent-kafka (librdkafka's defaults unless `settings`
/// say otherwise), as a site adapter would; returns the partition each record was stored in.
enum PythonProducer {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repository.appendingPathComponent(".venv-test/bin/python3")

    static let script = """
    import json, sys
    from confluent_kafka import Producer
    config = {"bootstrap.servers": sys.argv[1]}
    config.update(json.loads(sys.argv[2]))
    producer = Producer(config)
    placed = []
    def report(err, msg):
        if err is not None:
            sys.exit("not delivered: %s" % err)
        placed.append(msg.partition())
    for line in sys.stdin:
        record = json.loads(line)
        producer.produce(record["topic"], key=record["key"].encode(), value=bytes.fromhex(record["value"]),
                         headers=[(k, v.encode()) for k, v in record["headers"]], on_delivery=report)
        producer.flush(30)
    print(json.dumps(placed))
    """

    static func publish(_ records: [ProducerRecord], to cluster: EmbeddedCluster, settings: [String: String] = [:]) throws -> [Int32] {
        let lines = try records.map { record -> String in
            let object: [String: Any] = [
                "topic": record.topic, "key": String(decoding: record.key ?? Data(), as: UTF8.self),
                "value": (record.value ?? Data()).map { String(format: "%02x", $0) }.joined(),
                "headers": record.headers.map { [$0.key, $0.stringValue ?? ""] },
            ]
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script, cluster.bootstrapServers,
                             String(decoding: try JSONSerialization.data(withJSONObject: settings), as: UTF8.self)]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let placed = try JSONSerialization.jsonObject(with: out) as? [Int] else {
            throw KafkaError(code: -1, name: "_PYTHON", message: "the Python producer failed: \(String(decoding: err, as: UTF8.self).suffix(500))",
                             isRetriable: false, isFatal: false)
        }
        return placed.map { Int32($0) }
    }
}
