import BusKafka
import BusSchema
import Foundation
import Testing

/// The README's "Publishing to the bus" commands work as written: each kcat command, run by a
/// shell against an embedded cluster, publishes a record that the bus decodes and validates
/// exactly as a worker does, in the partition the bus's partitioner (murmur2) gives its key.
@Suite("Publishing guide", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/kcat"), "kcat is not installed"))
struct PublishingGuideTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("every kcat command of the README publishes a record the bus accepts")
    func guideCommandsPublishValidRecords() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let commands = readme.components(separatedBy: "```sh\n").dropFirst()
            .compactMap { $0.components(separatedBy: "```").first }
            .filter { $0.contains("kcat -P") }
        #expect(commands.count >= 25)
        for command in commands { #expect(command.contains("-X \(Murmur2Partitioner.setting) "), "\(command.prefix(80))") }

        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: Self.repository.appendingPathComponent("topics/topics.json")))
        let cluster = try EmbeddedCluster()
        for topic in catalogue.topics { try cluster.createTopic(topic.name, partitions: topic.partitions) }

        for command in commands {
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/bash")
            shell.arguments = ["-euc", command]
            shell.currentDirectoryURL = Self.repository
            shell.environment = ["KAFKA_BROKERS": cluster.bootstrapServers, "PATH": "/usr/bin:/bin"]
            shell.standardError = FileHandle.nullDevice
            try shell.run()
            shell.waitUntilExit()
            #expect(shell.terminationStatus == 0, "\(command.prefix(80))")
        }

        var accepted = 0
        var config = cluster.clientConfig()
        config.set("enable.partition.eof", "true")
        let reader = try KafkaConsumer(config: config)
        defer { reader.close() }
        var start: [TopicPartition: StartOffset] = [:]
        for topic in catalogue.topics {
            for partition in 0..<topic.partitions { start[TopicPartition(topic: topic.name, partition: Int32(partition))] = .beginning }
        }
        try reader.assign(start)
        var ended = 0
        let deadline = ContinuousClock.now + .seconds(30)
        while ended < start.count, ContinuousClock.now < deadline {
            switch reader.poll(timeout: .milliseconds(50)) {
            case .record(let record)?:
                let partitions = Int32(catalogue.topic(named: record.topic)?.partitions ?? 1)
                #expect(record.partition == Murmur2Partitioner.partition(of: record.key ?? Data(), partitions: partitions),
                        "\(record.topic) key \(record.keyString ?? "-") where a worker expects it")
                let headers = record.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
                do {
                    let (envelope, payload) = try Envelope.read(headers: headers, value: record.value ?? Data())
                    _ = try MessageRegistry.standard.decode(envelope, payload: payload)
                    accepted += 1
                } catch {
                    Issue.record("\(record.topic): \(error)")
                }
            case .partitionEnd?:
                ended += 1
            default:
                break
            }
        }
        // A block may hold more than one command (a query and its answer, say).
        let published = commands.map { $0.components(separatedBy: "kcat -P").count - 1 }.reduce(0, +)
        #expect(accepted == published, "one accepted record per command")
    }

    @Test("the catalogue and the guide name the producers' own setting for librdkafka clients, and none for Java")
    func partitionerSettingIsStated() throws {
        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: Self.repository.appendingPathComponent("topics/topics.json")))
        let clients = try #require(catalogue.partitioning).clients
        #expect(try #require(catalogue.partitioning).algorithm == "murmur2")
        #expect(clients.first { $0.clients.contains("kcat") && $0.clients.contains("confluent-kafka") && $0.clients.contains("php-rdkafka") && $0.clients.contains("node-rdkafka") }?.setting
            == Murmur2Partitioner.setting)
        #expect(clients.filter { $0.clients.contains("Java") || $0.clients.contains("kafkajs") }.allSatisfy { $0.setting == nil })
        #expect(KafkaProducer.defaults.contains { "\($0.0)=\($0.1)" == Murmur2Partitioner.setting }, "what every bus producer uses")
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("| librdkafka-based: kcat, confluent-kafka (Python, Go, .NET), php-rdkafka, node-rdkafka, rdkafka-ruby, rust-rdkafka | `\(Murmur2Partitioner.setting)`"))
    }
}
