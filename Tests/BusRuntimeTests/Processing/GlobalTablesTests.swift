import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

@Suite("Global tables")
struct GlobalTablesTests {
    @Test("a whole topic is loaded before use and kept current: latest value per key, tombstones delete")
    func followsTheTopic() throws {
        let harness = try Echo.harness()
        try harness.cluster.createTopic("test.table", partitions: 3)
        try harness.publish((0..<30).map { Echo.input(key: "k\($0 % 10)", n: Int64($0), topic: "test.table") })
        let logger = Logger(worker: "test", minimumLevel: .warn, sink: LogSink { _ in })
        let tables = try GlobalTables(topics: ["test.table"], config: harness.cluster.clientConfig(), registry: Echo.registry, logger: logger)
        defer { tables.stop() }
        #expect(tables.waitUntilCaughtUp(timeout: .seconds(20)))
        #expect(tables.count(in: "test.table") == 10, "everything present at start is loaded before use")
        #expect(tables.latest(TestEvent.self, in: "test.table", key: "k3")?.n == 23, "latest value per key")
        #expect(tables.latest(TestEcho.self, in: "test.table", key: "k3") == nil, "another type is not returned")

        try harness.publish([
            Echo.input(key: "k3", n: 99, topic: "test.table"),
            ProducerRecord(topic: "test.table", key: "k4", value: nil),
        ])
        #expect(waitUntil(timeout: .seconds(10)) { tables.latest(TestEvent.self, in: "test.table", key: "k3")?.n == 99 })
        #expect(waitUntil(timeout: .seconds(10)) { tables.latest(TestEvent.self, in: "test.table", key: "k4") == nil })
        #expect(tables.keys(in: "test.table").count == 9)
    }

    @Test("grouped messages: a group's keys are found at once, follow a key to another group, and leave on a tombstone (records from confluent-kafka)")
    func groupedKeys() throws {
        guard OutsideClient.isAvailable else { Issue.record("run scripts/setup.sh: the outside client is needed"); return }
        let harness = try Echo.harness()
        try harness.cluster.createTopic(Topics.accountExposure, partitions: 3)
        let codec = MessageCodec()
        func record(_ order: String, _ account: String, _ cents: Int64) -> [String: Any] {
            let entry = AccountOrderExposure(orderNumber: OrderNumber(order), accountCode: ERPAccountCode(account), open: Money(amount: cents, currency: .eur),
                                             updatedAt: Instant(Date()))
            let envelope = Envelope(for: AccountOrderExposure.self, id: "exposure-\(order)-\(account)-\(cents)", source: "bus/order-ingest", time: Instant(Date()))
            return ["topic": Topics.accountExposure, "key": order, "value_b64": codec.encode(entry).base64EncodedString(),
                    "headers": Dictionary(envelope.headers.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })]
        }
        let brokers = harness.cluster.bootstrapServers
        _ = try OutsideClient.produce(brokers: brokers, (1...20).map { record("WEB-\($0)", $0 % 2 == 0 ? "C-EVEN" : "C-ODD", 100) })
        let logger = Logger(worker: "test", minimumLevel: .warn, sink: LogSink { _ in })
        let tables = try GlobalTables(topics: [Topics.accountExposure], config: harness.cluster.clientConfig(), registry: .standard, logger: logger)
        defer { tables.stop() }
        #expect(tables.waitUntilCaughtUp(timeout: .seconds(20)))
        #expect(tables.keys(in: Topics.accountExposure, group: "C-EVEN") == (1...10).map { "WEB-\($0 * 2)" }.sorted())
        #expect(tables.keys(in: Topics.accountExposure, group: "C-NONE").isEmpty)

        _ = try OutsideClient.produce(brokers: brokers, [record("WEB-2", "C-ODD", 0)])
        try harness.publish([ProducerRecord(topic: Topics.accountExposure, key: "WEB-4", value: nil)])
        #expect(waitUntil(timeout: .seconds(10)) { tables.keys(in: Topics.accountExposure, group: "C-EVEN").count == 8 })
        #expect(!tables.keys(in: Topics.accountExposure, group: "C-EVEN").contains("WEB-2"), "moved to another account")
        #expect(tables.keys(in: Topics.accountExposure, group: "C-ODD").contains("WEB-2"))
        #expect(!tables.keys(in: Topics.accountExposure, group: "C-EVEN").contains("WEB-4"), "a tombstone takes the key out of its group")
        #expect(tables.keys(in: Topics.accountExposure, group: "C-ODD").count == 11)
    }

    @Test("watermark reads failing at start: the tables are caught up only once every partition is read")
    func failedWatermarksAreNotCaughtUp() throws {
        let harness = try Echo.harness()
        try harness.cluster.createTopic("test.table", partitions: 3)
        try harness.publish((0..<30).map { Echo.input(key: "k\($0 % 10)", n: Int64($0), topic: "test.table") })
        // Every watermark query fails (two ListOffsets requests per partition, earliest and
        // latest): UNKNOWN (-1), which librdkafka does not retry.
        harness.cluster.injectErrors(Array(repeating: KafkaErrorCode(rawValue: -1), count: 6), on: .listOffsets)
        let logger = Logger(worker: "test", minimumLevel: .warn, sink: LogSink { _ in })
        let tables = try GlobalTables(topics: ["test.table"], config: harness.cluster.clientConfig(), registry: Echo.registry, logger: logger)
        defer { tables.stop() }
        #expect(tables.waitUntilCaughtUp(timeout: .seconds(30)))
        #expect(tables.count(in: "test.table") == 10, "caught up means loaded")
    }

    @Test("a table whose topic does not exist is reported at start, by name")
    func missingTopic() throws {
        let harness = try Echo.harness()
        let logger = Logger(worker: "test", minimumLevel: .warn, sink: LogSink { _ in })
        do {
            _ = try GlobalTables(topics: ["test.no-such-table"], config: harness.cluster.clientConfig(), registry: Echo.registry, logger: logger)
            Issue.record("started without its table")
        } catch let error as RuntimeError {
            #expect(error.code == .tablesUnavailable)
            #expect(error.message.contains("test.no-such-table"))
        }
    }

    @Test("an undecodable changelog value stops the worker with a clear error instead of letting older state win")
    func undecodableChangelogStops() throws {
        let harness = try Echo.harness(partitions: 1)
        try harness.publish([
            ProducerRecord(topic: "bus.echo.state", partition: 0, key: "k1", value: Data(#"{"lastN":3,"count":4}"#.utf8)),
            ProducerRecord(topic: "bus.echo.state", partition: 0, key: "k1", value: Data("not json".utf8)),
        ])
        try harness.publish([Echo.input(key: "k1", n: 9)])
        let worker = harness.start(EchoFlow())
        #expect(waitUntil(timeout: .seconds(30)) { worker.failure != nil })
        #expect(worker.failure?.hasPrefix("stateUndecodable") == true, "\(worker.failure ?? "none")")
        #expect(worker.failure?.contains("offset=1") == true, "the record is named")
        #expect(worker.produced(to: "test.out") == 0, "nothing handled against the wrong state")
    }
}
