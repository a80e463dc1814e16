import BusKafka
import Foundation

/// What a consumer group has committed, for the partitions asked about: tells the site when
/// order-ingest has taken in an ERP status, so a customer's request never overtakes the
/// status it depends on (in production the same race is possible; here it would make the
/// day's outcome depend on timing).
final class CommitWatch {
    private let consumer: KafkaConsumer
    private var committed: [TopicPartition: Int64] = [:]
    private var wanted: Set<TopicPartition> = []
    private var lastRefresh = ContinuousClock.now - .seconds(60)

    /// Watches `group` on `cluster`; it reads offsets only, it never joins the group.
    init(cluster: EmbeddedCluster, group: String) throws {
        consumer = try KafkaConsumer(config: cluster.clientConfig(clientID: "demo-commit-watch", groupID: group))
    }

    /// Whether the group committed past `record` (so it finished processing it).
    func isPast(_ record: ObservedRecord) -> Bool {
        let partition = TopicPartition(topic: record.topic, partition: record.partition)
        wanted.insert(partition)
        return (committed[partition] ?? -1) > record.offset
    }

    /// Reads the committed offsets again, at most every 200 ms, when something is asked.
    func refresh() {
        guard !wanted.isEmpty, ContinuousClock.now - lastRefresh >= .milliseconds(200) else { return }
        lastRefresh = .now
        if let offsets = try? consumer.committed(Array(wanted), timeout: .seconds(2)) {
            for (partition, offset) in offsets { committed[partition] = offset }
        }
    }

    func close() {
        consumer.close()
    }
}
