import BusKafka
import BusSchema
import Foundation
import Testing

/// `time` is optional in CloudEvents 1.0. A record an outside producer sends without
/// `ce_time` takes its Kafka timestamp as the event's time (stored in the log with it, so a
/// redelivery reads the same), and its outputs carry that time; a `ce_time` given wins.
@Suite("Event time from the record")
struct RecordTimeTests {
    @Test("a record without ce_time, from confluent-kafka with its own timestamp: processed, its output at the record's time; a ce_time given wins")
    func absentTimeIsTheRecordTimestamp() throws {
        try #require(OutsideClient.isAvailable, "run scripts/setup.sh first")
        let harness = try Echo.harness(partitions: 1)
        let untimed = Echo.input(key: "untimed", n: 0).headers.filter { $0.key != "ce_time" }
        let timed = Echo.input(key: "timed", n: 0).headers
        func strings(_ headers: [KafkaHeader]) -> [String: String] {
            Dictionary(uniqueKeysWithValues: headers.compactMap { header in header.stringValue.map { (header.key, $0) } })
        }
        let recordTime: Int64 = 1_800_000_123_456
        let value = { (key: String) in Echo.codec.encode(TestEvent(key: key, n: 0)).base64EncodedString() }
        _ = try OutsideClient.produce(brokers: harness.cluster.bootstrapServers, [
            ["topic": "test.in", "key": "untimed", "value_b64": value("untimed"), "headers": strings(untimed), "timestamp_ms": recordTime],
            ["topic": "test.in", "key": "timed", "value_b64": value("timed"), "headers": strings(timed), "timestamp_ms": recordTime],
        ])
        let worker = harness.start(EchoFlow())
        let outputs = try harness.read("test.out", timeout: .seconds(120)) { $0.count >= 2 }
        worker.stopCleanly()
        #expect(try harness.readAll("bus.dlq.echo").isEmpty, "nothing dead-lettered")
        let times = Dictionary(outputs.compactMap { record in record.keyString.map { ($0, record.headers.string("ce_time")) } }) { first, _ in first }
        #expect(times["untimed"] == Instant(Date(timeIntervalSince1970: Double(recordTime) / 1000)).description)
        #expect(times["untimed"] == "2027-01-15T08:02:03.456Z")
        #expect(times["timed"] == timed.first { $0.key == "ce_time" }?.stringValue, "the record's own ce_time, not its timestamp")
        #expect(times["timed"] != times["untimed"])
    }
}
