/// A change of a group consumer's partitions, reported before it takes effect for revokes.
public enum RebalanceEvent: Sendable, Hashable {
    /// These partitions are now assigned; records from them follow this event.
    case assigned([TopicPartition])
    /// These partitions are about to be taken away. The handler runs before they are given
    /// up, so it can finish in-flight work, flush its producer, store and commit offsets.
    case revoked([TopicPartition])
}

/// What a consumer's poll returns.
public enum ConsumerEvent: Sendable {
    /// A record.
    case record(ConsumedRecord)
    /// The consumer has read everything in a partition up to `offset` (the high watermark).
    /// Only with `enable.partition.eof=true`; used to know a table or changelog is caught up.
    case partitionEnd(TopicPartition, offset: Int64)
    /// A consumer error; mostly transient (librdkafka recovers), fatal when `isFatal`.
    case error(KafkaError)
}
