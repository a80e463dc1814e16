/// A topic and one of its partitions, as the runtime keys its per-partition state.
///
/// The runtime's own type so this module needs no Kafka import; the processing loop maps the
/// Kafka layer's topic-partition onto it one to one.
public struct PartitionKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition number within the topic.
    public var partition: Int32

    /// A topic partition.
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// Orders by topic, then partition, so listings and logs are stable.
    public static func < (lhs: PartitionKey, rhs: PartitionKey) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    /// `topic[partition]`.
    public var description: String { "\(topic)[\(partition)]" }
}
