import BusKafka
import BusSchema
import Foundation
import Testing

/// Embedded clusters and data for the CLI tests; every test starts its own cluster.
enum Clusters {
    static func catalogue() throws -> TopicCatalogue {
        try TopicCatalogue.load(from: Data(contentsOf: Bus.repository.appendingPathComponent("topics/topics.json")))
    }

    /// A cluster of `brokers` with every catalogue topic (as `bus dev` makes it), but those
    /// `leaving` out, and with `partitions` overriding some counts.
    static func withCatalogue(leaving out: Set<String> = [], partitions: [String: Int] = [:], brokers: Int = 1) throws -> EmbeddedCluster {
        let cluster = try EmbeddedCluster(brokers: brokers)
        for topic in try catalogue().topics where !out.contains(topic.name) {
            try cluster.createTopic(topic.name, partitions: partitions[topic.name] ?? topic.partitions)
        }
        return cluster
    }

    /// Every record of `topic` now, read without a group.
    static func readAll(_ cluster: EmbeddedCluster, _ topic: String) throws -> [ConsumedRecord] {
        var config = cluster.clientConfig()
        config.set("enable.partition.eof", "true")
        let consumer = try KafkaConsumer(config: config)
        defer { consumer.close() }
        let count = try #require(try consumer.topics().first { $0.name == topic }).partitions
        var pending = Set<TopicPartition>()
        var start: [TopicPartition: StartOffset] = [:]
        for number in 0..<Int32(count) {
            let partition = TopicPartition(topic: topic, partition: number)
            start[partition] = .beginning
            let (low, high) = try consumer.watermarks(partition)
            if high > low { pending.insert(partition) }
        }
        try consumer.assign(start)
        var records: [ConsumedRecord] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while !pending.isEmpty, ContinuousClock.now < deadline {
            switch consumer.poll(timeout: .milliseconds(50)) {
            case .record(let record)?: records.append(record)
            case .partitionEnd(let partition, _)?: pending.remove(partition)
            default: break
            }
        }
        return records
    }

    /// Sends records and waits for each acknowledgement.
    static func send(_ cluster: EmbeddedCluster, _ records: [ProducerRecord]) async throws -> [DeliveryReport] {
        let producer = try KafkaProducer(config: cluster.clientConfig())
        defer { producer.close() }
        var reports: [DeliveryReport] = []
        for record in records { reports.append(try await producer.send(record)) }
        return reports
    }

    /// A free TCP port on loopback, as the kernel picks one.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The path of an example of `topics/examples/`, or of a copy with `edit` applied to its
    /// JSON, under the same file name in a fresh temporary directory.
    static func example(_ fileName: String, editing edit: ((inout [String: Any]) -> Void)? = nil) throws -> String {
        let original = Bus.examples.appendingPathComponent(fileName)
        guard let edit else { return original.path }
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: original)) as? [String: Any])
        edit(&object)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(fileName)
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: url)
        return url.path
    }
}
