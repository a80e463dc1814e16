import BusKafka
import Foundation
import Testing

/// Other systems talk to the bus with any Kafka client: kcat, a real outside client, reads
/// what the Kafka layer writes and writes what it reads, headers included.
@Suite("Outside clients", .enabled(if: Interop.kcat != nil, "kcat is not installed (scripts/setup.sh installs it)"))
struct InteropTests {
    @Test("kcat publishes keyed records with headers; the consumer reads them byte for byte")
    func kcatProduces() throws {
        let cluster = try Support.cluster(topics: ["interop.in": 3])
        let input = "first value\nsecond value\n"
        let status = try Interop.run(
            ["-b", cluster.bootstrapServers, "-t", "interop.in", "-P", "-k", "SKU-42",
             "-H", "ce_id=abc-1", "-H", "ce_type=erp.stock-level", "-H", "content-type=application/json"],
            stdin: input)
        #expect(status.code == 0, "kcat failed: \(status.stderr)")

        let records = try Support.readAll(cluster, topic: "interop.in", partitions: 3, expected: 2)
        #expect(records.map { String(decoding: $0.value ?? Data(), as: UTF8.self) } == ["first value", "second value"])
        #expect(records.allSatisfy { $0.keyString == "SKU-42" })
        #expect(records[0].headers.string("ce_id") == "abc-1")
        #expect(records[0].headers.string("ce_type") == "erp.stock-level")
    }

    @Test("kcat reads what the producer wrote: key, value and headers")
    func kcatConsumes() async throws {
        let cluster = try Support.cluster(topics: ["interop.out": 1])
        let producer = try KafkaProducer(config: cluster.clientConfig())
        _ = try await producer.send(ProducerRecord(
            topic: "interop.out", key: "ORD-7", value: Data("{\"status\":\"shipped\"}".utf8),
            headers: [KafkaHeader(key: "ce_id", string: "out-1"), KafkaHeader(key: "ce_source", string: "bus/status-notifier")]))
        producer.close()
        let status = try Interop.run(
            ["-b", cluster.bootstrapServers, "-t", "interop.out", "-C", "-o", "beginning", "-e", "-q",
             "-f", "%k|%s|%h\\n"], stdin: nil)
        #expect(status.code == 0, "kcat failed: \(status.stderr)")
        #expect(status.stdout == "ORD-7|{\"status\":\"shipped\"}|ce_id=out-1,ce_source=bus/status-notifier\n")
    }
}

enum Interop {
    static let kcat: String? = ["/usr/bin/kcat", "/usr/local/bin/kcat"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func run(_ arguments: [String], stdin: String?) throws -> (code: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kcat ?? "kcat")
        process.arguments = arguments
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
