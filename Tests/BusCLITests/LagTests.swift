import BusKafka
import Foundation
import Testing

/// `bus lag` against offsets a test consumer committed.
@Suite("bus lag")
struct LagTests {
    @Test("lag per partition and in total matches what a consumer committed")
    func lagMatchesCommits() async throws {
        let cluster = try Clusters.withCatalogue()
        // 5 records on partition 0, 3 on partition 1, 2 on partition 2 of erp.stock (6 partitions).
        var records: [ProducerRecord] = []
        for (partition, count) in [(0, 5), (1, 3), (2, 2)] {
            for index in 0..<count {
                records.append(ProducerRecord(topic: "erp.stock", partition: Int32(partition), key: "SKU-\(index)", value: Data("{}".utf8)))
            }
        }
        _ = try await Clusters.send(cluster, records)

        // The group reads partition 0 up to offset 3 and partition 1 to its end, and commits.
        let group = "lag-test-\(UUID().uuidString.prefix(8))"
        var config = cluster.clientConfig(groupID: group)
        config.set("enable.auto.commit", "false")
        let consumer = try KafkaConsumer(config: config)
        try consumer.assign([TopicPartition(topic: "erp.stock", partition: 0): .beginning, TopicPartition(topic: "erp.stock", partition: 1): .beginning])
        try consumer.store([TopicPartition(topic: "erp.stock", partition: 0): 3, TopicPartition(topic: "erp.stock", partition: 1): 3])
        try consumer.commit()
        let committed = try consumer.committed([TopicPartition(topic: "erp.stock", partition: 0), TopicPartition(topic: "erp.stock", partition: 1)])
        consumer.close()
        try #require(committed.count == 2, "the consumer's commit did not land: \(committed)")

        let result = try Bus.run(["lag", "--group", group], brokers: cluster.bootstrapServers)
        #expect(result.status == 0, "\(result)")
        let rows = result.lines.map { $0.split(separator: " ").map(String.init) }.filter { $0.first == "erp.stock" }
        #expect(rows.count == 2, "only the committed partitions of a group that is no worker: \(result)")
        #expect(rows.contains(["erp.stock", "0", "3", "5", "2"]), "\(result)")
        #expect(rows.contains(["erp.stock", "1", "3", "3", "0"]), "\(result)")
        #expect(result.stdout.contains("total lag 2"), "\(result)")
    }

    @Test("a worker's group shows its stream inputs before any commit; all groups by default")
    func workerGroupsByDefault() async throws {
        let cluster = try Clusters.withCatalogue()
        _ = try await Clusters.send(cluster, [ProducerRecord(topic: "erp.articles", partition: 1, key: "SKU-1", value: Data("{}".utf8))])
        let result = try Bus.run(["lag"], brokers: cluster.bootstrapServers)
        #expect(result.status == 0, "\(result)")
        for worker in try Clusters.catalogue().workers { #expect(result.stdout.contains("group \(worker)\n"), "\(worker): \(result)") }
        let rows = result.lines.map { $0.split(separator: " ").map(String.init) }.filter { $0.first == "erp.articles" }
        #expect(rows.contains(["erp.articles", "1", "-", "1", "1"]), "\(result)")
        #expect(result.stdout.contains("total lag of all groups 1"), "\(result)")
    }
}
