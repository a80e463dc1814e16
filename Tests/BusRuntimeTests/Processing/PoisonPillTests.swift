import BusKafka
import BusSchema
import Foundation
import Testing

/// No input, however large, stops a worker. A record at Kafka's size limit is legal on an
/// input topic (a Java producer may send ~1 MB); its dead letter carries ~10 headers more, so
/// the runtime cuts the value to fit and says so in a header, and the flow goes on.
@Suite("Poison pill")
struct PoisonPillTests {
    @Test("a 999,700-byte invalid record from an outside producer: dead letter truncated to fit, reason kept, the next record handled, the worker alive")
    func oversizedInvalidRecord() throws {
        try #require(OutsideClient.isAvailable, "run scripts/setup.sh first")
        let executable = WorkerProcessTests.binaries.appendingPathComponent("stock-broadcaster")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the workers first (swift build)")
        let cluster = try EmbeddedCluster()
        let deadLetters = "bus.dlq.stock-broadcaster"
        // Every input co-partitioned (stock claims and availability queries too), and the catalogue it reads as a table, as `bus topics apply` creates them.
        for topic in [Topics.erpStock, Topics.stockClaims, Topics.availabilityQueries, Topics.shopAvailability, Topics.shopCatalog, "bus.stock-broadcaster.state",
                      deadLetters, Topics.exceptions, Topics.control] {
            try cluster.createTopic(topic, partitions: 3)
        }

        // The pill, then a valid level for the same SKU behind it in the same partition.
        let time = Instant(Date(timeIntervalSince1970: 1_800_000_000))
        let level = ERPStockLevel(sku: SKU(rawValue: "SKU-7"), warehouse: WarehouseCode(rawValue: "MAIN"),
                                  onHand: Quantity(5), reserved: Quantity(0), incoming: [], measuredAt: time)
        let valid = Envelope(for: ERPStockLevel.self, id: "s-after", source: "erp/test", time: time)
        let pillHeaders = ["ce_specversion": "1.0", "ce_id": "s-pill", "ce_source": "erp/java", "ce_type": ERPStockLevel.messageType,
                           "content-type": "application/json"]
        let landed = try OutsideClient.produce(brokers: cluster.bootstrapServers, [
            ["topic": Topics.erpStock, "key": "SKU-7", "value_fill": ["{\"sku\": \"", 999_700], "headers": pillHeaders],
            ["topic": Topics.erpStock, "key": "SKU-7", "value_b64": MessageCodec().encode(level).base64EncodedString(),
             "headers": Dictionary(uniqueKeysWithValues: valid.headers.map { ($0.key, $0.value) })],
        ])
        try #require(landed.count == 2)
        let partition = try #require(landed[0]["partition"] as? Int)

        let port = try WorkerProcessTests.freePort()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("pill-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = executable
        process.environment = [
            "KAFKA_BROKERS": cluster.bootstrapServers, "KAFKA_SESSION_TIMEOUT_MS": "6000", "KAFKA_FETCH_WAIT_MAX_MS": "10",
            "BUS_HTTP_PORT": String(port), "BUS_LOG_LEVEL": "info", "BUS_SHUTDOWN_DEADLINE_SECONDS": "15",
        ]
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let handled = WorkerProcessTests.waitFor(timeout: .seconds(120)) {
            guard process.isRunning else { return true }
            return (WorkerProcessTests.body(port: port, path: "/metrics") ?? "").contains("bus_records_produced_total{topic=\"shop.availability\"} 1")
        }
        let logText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(handled && (WorkerProcessTests.body(port: port, path: "/metrics") ?? "").contains("bus_records_produced_total{topic=\"shop.availability\"} 1"),
                "the record behind the pill was handled")
        #expect(process.isRunning, "the worker is alive")
        #expect(!logText.contains("fatal_client_error"))
        #expect(logText.contains("dead_letter_truncated"))

        let letters = try OutsideClient.read(brokers: cluster.bootstrapServers, topic: deadLetters, count: 1, timeout: 30)
        let letter = try #require(letters.first)
        let headers = try #require(letter["headers"] as? [String: String])
        #expect(headers["bus_value_truncated"] == "original_bytes=999700")
        #expect(headers["bus_error_code"] != nil && headers["bus_error_code"] != "output_refused", "the input's own reason")
        #expect(headers["bus_error_reason"]?.isEmpty == false)
        #expect(headers["bus_original_topic"] == Topics.erpStock)
        #expect(headers["bus_original_partition"] == String(partition))
        #expect(headers["bus_original_offset"] == "0")
        #expect(headers["ce_id"] == "s-pill", "the original headers are kept")
        #expect(letter["key"] as? String == "SKU-7")
        #expect(letter["value_head"] as? String == "{\"sku\": \"xxxxxxx", "the value's start is kept")
        let size = try #require(letter["size"] as? Int)
        #expect(size <= 1_000_000 && size > 990_000, "cut to the producer's limit, no further: \(size)")

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let reader = try KafkaConsumer(config: cluster.clientConfig(groupID: "stock-broadcaster"))
        defer { reader.close() }
        let committed = try reader.committed([TopicPartition(topic: Topics.erpStock, partition: Int32(partition))])
        #expect(committed.values.first == 2, "the pill and the record behind it are committed")
    }
}
