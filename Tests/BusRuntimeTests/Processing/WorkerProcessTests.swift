import BusKafka
import BusSchema
import Foundation
import Testing

/// A real worker executable, configured only by its environment as in a container: it serves
/// its HTTP endpoints, processes, and on SIGTERM stops within its deadline with exit code 0.
@Suite("Worker process")
struct WorkerProcessTests {
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    @Test("stock-broadcaster as a process: ready over HTTP, exit 0 on SIGTERM within the deadline, inputs committed")
    func sigtermExitsZero() throws {
        let executable = Self.binaries.appendingPathComponent("stock-broadcaster")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the workers first (swift build)")
        let cluster = try EmbeddedCluster()
        // Every input co-partitioned (stock claims and availability queries too), as `bus topics apply` creates them.
        for topic in [Topics.erpStock, Topics.stockClaims, Topics.availabilityQueries, Topics.availabilityAnswers, Topics.shopAvailability, Topics.shopCatalog,
                      "bus.stock-broadcaster.state", "bus.dlq.stock-broadcaster", Topics.exceptions, Topics.control] {
            try cluster.createTopic(topic, partitions: 3)
        }
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = executable
        process.environment = [
            "KAFKA_BROKERS": cluster.bootstrapServers, "KAFKA_SESSION_TIMEOUT_MS": "6000", "KAFKA_FETCH_WAIT_MAX_MS": "10",
            "BUS_HTTP_PORT": String(port), "BUS_LOG_LEVEL": "warn", "BUS_SHUTDOWN_DEADLINE_SECONDS": "15",
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let producer = try KafkaProducer(config: cluster.clientConfig())
        let time = Instant(Date(timeIntervalSince1970: 1_800_000_000))
        for i in 0..<300 {
            let level = ERPStockLevel(sku: SKU(rawValue: "SKU-\(i % 30)"), warehouse: WarehouseCode(rawValue: "MAIN"),
                                      onHand: Quantity(Int64(i % 9)), reserved: Quantity(0), incoming: [], measuredAt: time)
            let envelope = Envelope(for: ERPStockLevel.self, id: "s-\(i)", source: "erp/test", time: time)
            producer.enqueue(ProducerRecord(topic: Topics.erpStock, key: "SKU-\(i % 30)", value: MessageCodec().encode(level),
                                            headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })) { _ in }
        }
        try producer.flush(timeout: .seconds(30))
        producer.close()

        #expect(Self.waitFor(timeout: .seconds(120)) { Self.status(port: port, path: "/readyz") == 200 }, "ready once assigned")
        #expect(Self.waitFor(timeout: .seconds(120)) { (Self.body(port: port, path: "/metrics") ?? "").contains("bus_records_consumed_total{topic=\"erp.stock\"} 300") })

        let signalled = ContinuousClock.now
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(ContinuousClock.now - signalled < .seconds(15))

        let reader = try KafkaConsumer(config: cluster.clientConfig(groupID: "stock-broadcaster"))
        defer { reader.close() }
        let committed = try reader.committed((0..<3).map { TopicPartition(topic: Topics.erpStock, partition: Int32($0)) })
        #expect(committed.values.reduce(0, +) == 300, "every input committed before the exit")
    }

    static func waitFor(timeout: Duration, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition()
    }

    static func status(port: Int, path: String) -> Int? {
        guard let client = try? TestHTTPClient(port: port) else { return nil }
        _ = client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        return client.readToEnd().status
    }

    static func body(port: Int, path: String) -> String? {
        guard let client = try? TestHTTPClient(port: port) else { return nil }
        _ = client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        return client.readToEnd().body
    }

    /// A port free right now on 127.0.0.1.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
