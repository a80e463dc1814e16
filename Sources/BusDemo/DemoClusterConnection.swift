import BusKafka
import BusSchema
import Foundation

/// The cluster a run uses, whichever it is: client configurations for the simulators, the
/// journal and the workers, and the embedded cluster itself when the run owns one (the
/// chaos run takes its brokers down).
final class DemoClusterConnection {
    /// The embedded cluster, when the run started one; nil on an existing cluster.
    let embedded: EmbeddedCluster?
    private let base: KafkaConfig

    /// Connects to `choice`; an embedded cluster is started with every topic of `topics`.
    init(_ choice: DemoCluster, topics: [Topic]) throws {
        switch choice {
        case .embedded(let brokers):
            let cluster = try EmbeddedCluster(brokers: brokers)
            try Self.createTopics(topics, on: cluster, replication: brokers)
            embedded = cluster
            base = cluster.clientConfig()
        case .external(let config):
            embedded = nil
            base = config
        }
    }

    /// The bootstrap servers.
    var bootstrapServers: String { base.brokers }

    /// A client configuration named `clientID`, in `groupID` if given.
    func config(clientID: String, groupID: String? = nil) -> KafkaConfig {
        var config = base
        config.clientID = clientID
        config.groupID = groupID
        return config
    }

    /// The `KAFKA_*` variables a worker process needs beyond the inherited environment: the
    /// bootstrap servers, and on the embedded cluster the settings it needs (6 s sessions:
    /// every later join waits the session timeout there).
    var workerEnvironment: [String: String] {
        var environment = ["KAFKA_BROKERS": base.brokers]
        if embedded != nil {
            environment["KAFKA_SESSION_TIMEOUT_MS"] = "6000"
            environment["KAFKA_HEARTBEAT_INTERVAL_MS"] = "500"
            environment["KAFKA_FETCH_WAIT_MAX_MS"] = "10"
        }
        return environment
    }

    /// Creates every catalogue topic. The embedded cluster's thread sleeps up to a second
    /// between network events and sometimes serves a creation only when it wakes (librdkafka
    /// 2.0.2's mock cluster): a reader fetching the first topic wakes it every few
    /// milliseconds while the others are created, so 33 creations take milliseconds, not up
    /// to half a minute.
    private static func createTopics(_ topics: [Topic], on cluster: EmbeddedCluster, replication: Int) throws {
        guard let first = topics.first else { return }
        try cluster.createTopic(first.name, partitions: first.partitions, replicationFactor: replication)
        let waker = try KafkaConsumer(config: cluster.clientConfig(clientID: "demo-topic-creation"))
        defer { waker.close() }
        try waker.assign([TopicPartition(topic: first.name, partition: 0): .end])
        for topic in topics.dropFirst() {
            try cluster.createTopic(topic.name, partitions: topic.partitions, replicationFactor: replication)
        }
    }
}
