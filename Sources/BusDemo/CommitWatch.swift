import BusKafka
import Foundation

/// What a consumer group has committed, for the partitions asked about: tells the site when
/// order-ingest has taken in an ERP status, so a customer's request never overtakes the
/// status it depends on (in production the same race is possible; here it would make the
/// day's outcome depend on timing), and gives each worker's progress and lag.
final class CommitWatch {
    let group: String
    private let consumer: KafkaConsumer
    private var committed: [TopicPartition: Int64] = [:]
    private var wanted: Set<TopicPartition> = []
    private var lastRefresh = ContinuousClock.now - .seconds(60)

    /// Watches `group` with `config`; it reads offsets only, it never joins the group.
    init(config: KafkaConfig, group: String) throws {
        self.group = group
        var config = config
        config.groupID = group
        config.set("enable.auto.commit", "false")
        consumer = try KafkaConsumer(config: config)
    }

    /// Also watches `partitions`.
    func watch(_ partitions: [TopicPartition]) {
        wanted.formUnion(partitions)
    }

    /// Whether the group committed past `record` (so it finished processing it).
    func isPast(_ record: ObservedRecord) -> Bool {
        let partition = TopicPartition(topic: record.topic, partition: record.partition)
        wanted.insert(partition)
        return (committed[partition] ?? -1) > record.offset
    }

    /// The group's committed offset of `partition` at the last refresh; nil when none.
    func committed(_ partition: TopicPartition) -> Int64? {
        committed[partition].flatMap { $0 >= 0 ? $0 : nil }
    }

    /// Reads the committed offsets again, at most every `interval` (at once with `force`).
    func refresh(interval: Duration = .milliseconds(200), force: Bool = false) {
        guard !wanted.isEmpty, force || ContinuousClock.now - lastRefresh >= interval else { return }
        lastRefresh = .now
        if let offsets = try? consumer.committed(Array(wanted), timeout: .seconds(2)) {
            for (partition, offset) in offsets { committed[partition] = offset }
        }
    }

    func close() {
        consumer.close()
    }
}
