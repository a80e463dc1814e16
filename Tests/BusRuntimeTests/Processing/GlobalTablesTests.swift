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
}
