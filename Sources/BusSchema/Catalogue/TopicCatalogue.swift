import Foundation

/// The topic catalogue, `topics/topics.json`: the single source of truth for topic names,
/// keys, partitions, cleanup, retention, message types, writers and readers.
public struct TopicCatalogue: Codable, Sendable, Equatable {
    /// The workers of the bus; parties not listed here (erp, site, operators, ...) are outside systems.
    public var workers: [String]
    /// How every producer maps a key to a partition: part of the contract.
    public var partitioning: Partitioning?
    /// Every topic.
    public var topics: [Topic]

    /// A catalogue.
    public init(workers: [String], partitioning: Partitioning? = nil, topics: [Topic]) {
        self.workers = workers
        self.partitioning = partitioning
        self.topics = topics
    }

    private enum CodingKeys: String, CodingKey {
        case workers
        case partitioning
        case topics
    }

    /// Reads `topics.json`; throws `.undecodable` or `.invalid` with the reason, never the file contents.
    public static func load(from data: Data) throws(SchemaError) -> TopicCatalogue {
        _ = try JSONParser().parse(data)
        do {
            return try JSONDecoder().decode(TopicCatalogue.self, from: data)
        } catch {
            throw SchemaError(.invalid, "topics.json does not match the catalogue model: \(String(describing: error).prefix(300))")
        }
    }

    /// The topic named `name`, if any.
    public func topic(named name: String) -> Topic? { topics.first { $0.name == name } }

    /// The topics carrying `messageType`.
    public func topics(carrying messageType: String) -> [Topic] { topics.filter { $0.messageTypes.contains(messageType) } }
}

/// How a key maps to a partition, for every producer of every topic: co-partitioned topics
/// are only joined right if all their producers agree.
public struct Partitioning: Codable, Sendable, Equatable {
    /// The hash, `murmur2`: Kafka's Java client's `toPositive(murmur2(key)) % partitions`.
    public var algorithm: String
    /// What a record whose key does not hash to its partition becomes.
    public var misplaced: String
    /// The setting each common client needs.
    public var clients: [ClientSetting]

    /// A partitioning rule.
    public init(algorithm: String, misplaced: String, clients: [ClientSetting]) {
        self.algorithm = algorithm
        self.misplaced = misplaced
        self.clients = clients
    }
}

/// What a family of Kafka clients must be told to partition as the contract says.
public struct ClientSetting: Codable, Sendable, Equatable {
    /// The clients, e.g. "kcat, confluent-kafka (Python, Go, .NET), php-rdkafka, node-rdkafka".
    public var clients: String
    /// The producer setting, e.g. `partitioner=murmur2_random`; nil when the default is right.
    public var setting: String?

    /// A client family's setting.
    public init(clients: String, setting: String?) {
        self.clients = clients
        self.setting = setting
    }

    private enum CodingKeys: String, CodingKey {
        case clients, setting
    }
}

/// One Kafka topic of the catalogue.
public struct Topic: Codable, Sendable, Equatable {
    /// The topic name: `erp.*` faces the ERP, `shop.*` the site, `bus.*` is the bus's own.
    public var name: String
    /// What the topic is for, one sentence.
    public var description: String
    /// What the record key is (and so what keeps its order).
    public var key: String
    /// The partition count; topics joined by one worker have the same.
    public var partitions: Int
    /// The replication factor in production.
    public var replication: Int
    /// Kafka's `cleanup.policy`.
    public var cleanup: CleanupPolicy
    /// Kafka's `retention.ms`; -1 keeps records forever (compacted tables).
    public var retentionMs: Int64
    /// Kafka's `max.compaction.lag.ms`, for compacted topics that carry personal data: a value
    /// replaced or tombstoned (an erasure) is compacted away within this time. Nil leaves the
    /// broker's default (no bound).
    public var maxCompactionLagMs: Int64?
    /// The message types (CloudEvents `type`) records may carry; empty for dead letters and state changelogs.
    public var messageTypes: [String]
    /// Who produces to it: worker names or outside parties.
    public var writers: [String]
    /// Who consumes it, and how.
    public var readers: [TopicReader]
    /// For a topic of live queries (requests), the topic their answers go to (`ce_replyto`).
    public var replyTopic: String?

    /// The topic-level configs `bus topics apply` sets: `cleanup.policy`, `retention.ms` and,
    /// when given, `max.compaction.lag.ms`.
    public var configs: [String: String] {
        var configs = ["cleanup.policy": cleanup.rawValue, "retention.ms": String(retentionMs)]
        if let maxCompactionLagMs { configs["max.compaction.lag.ms"] = String(maxCompactionLagMs) }
        return configs
    }

    /// A topic.
    public init(
        name: String, description: String, key: String, partitions: Int, replication: Int, cleanup: CleanupPolicy,
        retentionMs: Int64, maxCompactionLagMs: Int64? = nil, messageTypes: [String], writers: [String], readers: [TopicReader],
        replyTopic: String? = nil
    ) {
        self.replyTopic = replyTopic
        self.maxCompactionLagMs = maxCompactionLagMs
        self.name = name
        self.description = description
        self.key = key
        self.partitions = partitions
        self.replication = replication
        self.cleanup = cleanup
        self.retentionMs = retentionMs
        self.messageTypes = messageTypes
        self.writers = writers
        self.readers = readers
    }

    private enum CodingKeys: String, CodingKey {
        case name, description, key, partitions, replication, cleanup, writers, readers
        case retentionMs = "retention_ms"
        case maxCompactionLagMs = "max_compaction_lag_ms"
        case messageTypes = "message_types"
        case replyTopic = "reply_topic"
    }
}

/// Kafka's `cleanup.policy`.
public enum CleanupPolicy: String, Codable, Sendable, Equatable {
    /// Keep the latest record per key (tables, changelogs).
    case compact
    /// Delete records older than the retention (event streams).
    case delete
}

/// One consumer of a topic.
public struct TopicReader: Codable, Sendable, Equatable {
    /// The worker or outside party.
    public var name: String
    /// How it reads.
    public var reads: ReadMode

    /// A reader.
    public init(name: String, reads: ReadMode) {
        self.name = name
        self.reads = reads
    }

    private enum CodingKeys: String, CodingKey {
        case name, reads
    }
}

/// How a reader consumes a topic.
public enum ReadMode: String, Codable, Sendable, Equatable {
    /// Partitions are shared among the group's replicas; streams read by one worker must be co-partitioned.
    case stream
    /// Every replica reads every partition into a lookup table (known SKUs, identity links, control requests).
    case table
}
