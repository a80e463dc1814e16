import BusKafka
import Foundation
import Testing

/// `bus dev`: the embedded cluster at a fixed local port, for any Kafka client.
@Suite("bus dev")
struct DevTests {
    static let kcat = "/usr/bin/kcat"

    @Test("clients bootstrap at localhost:PORT, see every catalogue topic and exchange records; SIGTERM stops it cleanly")
    func devCluster() async throws {
        let port = try Clusters.freePort()
        let dev = try Bus.start(["dev", "--port", String(port)])
        defer { if dev.process.isRunning { dev.signal(SIGKILL) } }
        try #require(dev.waitForOutput("ready: KAFKA_BROKERS=localhost:\(port)", timeout: .seconds(60)), "\(dev.stdout)\(dev.stderr)")
        let catalogue = try Clusters.catalogue()

        // Our own client through the bridge: metadata, then a record there and back.
        var config = KafkaConfig(brokers: "localhost:\(port)")
        config.set("fetch.wait.max.ms", "10")
        let consumer = try KafkaConsumer(config: config)
        defer { consumer.close() }
        let topics = Dictionary(uniqueKeysWithValues: try consumer.topics().map { ($0.name, $0.partitions) })
        for topic in catalogue.topics { #expect(topics[topic.name] == topic.partitions, "\(topic.name)") }
        let published = try Bus.run(["publish", "erp.stock", try Clusters.example("erp.stock-level.v1.json"), "--key", "SKU-DEV"],
                                    environment: ["KAFKA_BROKERS": "localhost:\(port)"])
        #expect(published.status == 0, "\(published)")
        let tail = try Bus.run(["tail", "erp.stock", "--from-beginning", "--until-end"], environment: ["KAFKA_BROKERS": "localhost:\(port)"])
        #expect(tail.stdout.contains("key=SKU-DEV"), "\(tail)")

        dev.signal(SIGTERM)
        let result = dev.wait(timeout: .seconds(15))
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("bus dev: stopped (signal 15)"), "\(result)")
    }

    @Test("kcat -b localhost:PORT -L lists the catalogue while bus dev runs",
          .enabled(if: FileManager.default.isExecutableFile(atPath: DevTests.kcat), "kcat is not installed"))
    func kcatListsTheCatalogue() throws {
        let port = try Clusters.freePort()
        let dev = try Bus.start(["dev", "--port", String(port)])
        defer { if dev.process.isRunning { dev.signal(SIGKILL) } }
        try #require(dev.waitForOutput("ready:", timeout: .seconds(60)), "\(dev.stdout)\(dev.stderr)")

        let kcat = Process()
        kcat.executableURL = URL(fileURLWithPath: Self.kcat)
        kcat.arguments = ["-b", "localhost:\(port)", "-L", "-m", "10"]
        let pipe = Pipe()
        kcat.standardOutput = pipe
        kcat.standardError = FileHandle.nullDevice
        try kcat.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        kcat.waitUntilExit()
        #expect(kcat.terminationStatus == 0, "\(listing)")
        for topic in try Clusters.catalogue().topics {
            #expect(listing.contains("topic \"\(topic.name)\" with \(topic.partitions) partitions"), "\(topic.name) not in:\n\(listing)")
        }
        dev.signal(SIGINT)
        #expect(dev.wait(timeout: .seconds(15)).status == 0)
    }

    @Test("a port in use is a clear failure, exit 1")
    func portInUse() throws {
        let port = try Clusters.freePort()
        let first = try Bus.start(["dev", "--port", String(port)])
        defer { if first.process.isRunning { first.signal(SIGKILL) } }
        try #require(first.waitForOutput("ready:", timeout: .seconds(60)))
        let second = try Bus.run(["dev", "--port", String(port)], timeout: .seconds(30))
        #expect(second.status == 1, "\(second)")
        #expect(second.stderr.contains("cannot listen on port \(port)"), "\(second)")
        first.signal(SIGTERM)
        _ = first.wait(timeout: .seconds(15))
    }
}
