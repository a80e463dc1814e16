import Foundation

/// One Kafka record header. Kafka allows repeated keys and null values; both are kept.
public struct KafkaHeader: Sendable, Hashable {
    /// The header name.
    public var key: String
    /// The header bytes, or nil for a null header value.
    public var value: Data?

    /// A header with raw bytes.
    public init(key: String, value: Data?) {
        self.key = key
        self.value = value
    }

    /// A header whose value is the UTF-8 of a string.
    public init(key: String, string: String) {
        self.init(key: key, value: Data(string.utf8))
    }

    /// The value read as UTF-8, or nil when null or not UTF-8.
    public var stringValue: String? {
        value.flatMap { String(validating: $0, as: UTF8.self) }
    }
}

extension Array where Element == KafkaHeader {
    /// The last value of a header, as UTF-8: in Kafka the last occurrence wins.
    public func string(_ key: String) -> String? {
        last { $0.key == key }?.stringValue
    }
}

/// A topic and one of its partitions.
public struct TopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32

    /// A topic partition.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// A record to produce.
public struct ProducerRecord: Sendable, Hashable {
    /// The destination topic.
    public var topic: String
    /// An explicit partition, or nil to let the partitioner hash the key.
    public var partition: Int32?
    /// The key; records with one key keep their order within a partition.
    public var key: Data?
    /// The value, or nil for a tombstone (deletes the key in a compacted topic).
    public var value: Data?
    /// Headers, in order.
    public var headers: [KafkaHeader]

    /// A record for `topic`.
    public init(topic: String, partition: Int32? = nil, key: Data?, value: Data?, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// A record with a UTF-8 string key.
    public init(topic: String, partition: Int32? = nil, key: String, value: Data?, headers: [KafkaHeader] = []) {
        self.init(topic: topic, partition: partition, key: Data(key.utf8), value: value, headers: headers)
    }
}

/// Where the broker stored a produced record.
public struct DeliveryReport: Sendable, Hashable {
    /// The topic the record went to.
    public var topic: String
    /// The partition the record went to.
    public var partition: Int32
    /// The record's offset in that partition.
    public var offset: Int64

    /// A report; public so tests and tools can build one.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}

/// A record read from Kafka.
public struct ConsumedRecord: Sendable, Hashable {
    /// The topic it was read from.
    public var topic: String
    /// Its partition.
    public var partition: Int32
    /// Its offset in that partition.
    public var offset: Int64
    /// Its key, if any.
    public var key: Data?
    /// Its value, or nil for a tombstone. Never a crash: tombstones are ordinary records.
    public var value: Data?
    /// Its headers, in order.
    public var headers: [KafkaHeader]
    /// The record's timestamp, if the broker or producer set one.
    public var timestamp: Date?

    /// A consumed record; public so tests and tools can build one.
    public init(
        topic: String, partition: Int32, offset: Int64, key: Data?, value: Data?,
        headers: [KafkaHeader] = [], timestamp: Date? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// Its topic and partition.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// The key read as UTF-8, if it is.
    public var keyString: String? { key.flatMap { String(data: $0, encoding: .utf8) } }
}
