import CRdKafka

/// A topic as the cluster describes it.
public struct TopicMetadata: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// Its partition count.
    public var partitions: Int

    /// A topic description.
    public init(name: String, partitions: Int) {
        self.name = name
        self.partitions = partitions
    }
}

extension NativeClient {
    /// Every topic the cluster knows, with partition counts, sorted by name.
    func topics(timeout: Duration) throws(KafkaError) -> [TopicMetadata] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle, 1, nil, &metadata, Int32(clamping: timeout.milliseconds))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(err, context: ["operation": "metadata"])
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        let count = Int(metadata.pointee.topic_cnt)
        guard count > 0, let topics = metadata.pointee.topics else { return [] }
        return (0..<count).compactMap { index -> TopicMetadata? in
            let topic = topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            return TopicMetadata(name: String(cString: topic.topic), partitions: Int(topic.partition_cnt))
        }.sorted { $0.name < $1.name }
    }

    /// How many brokers the cluster's metadata lists: the highest replication factor it can give.
    func brokerCount(timeout: Duration) throws(KafkaError) -> Int {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        // all_topics 0 and no topic: brokers only, the cheapest metadata request.
        let err = rd_kafka_metadata(handle, 0, nil, &metadata, Int32(clamping: timeout.milliseconds))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(err, context: ["operation": "metadata"])
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        return Int(metadata.pointee.broker_cnt)
    }

    /// The low and high watermarks of a partition: the first retained offset and the offset
    /// the next record will get.
    func watermarks(_ partition: TopicPartition, timeout: Duration) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(
            handle, partition.topic, partition.partition, &low, &high, Int32(clamping: timeout.milliseconds))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(err, context: ["operation": "watermarks", "partition": partition.description])
        }
        return (low, high)
    }
}

extension KafkaProducer {
    /// Every topic the cluster knows, with partition counts, sorted by name.
    public func topics(timeout: Duration = .seconds(10)) throws(KafkaError) -> [TopicMetadata] {
        try core.client.topics(timeout: timeout)
    }
}

extension KafkaConsumer {
    /// Every topic the cluster knows, with partition counts, sorted by name.
    public func topics(timeout: Duration = .seconds(10)) throws(KafkaError) -> [TopicMetadata] {
        try client.topics(timeout: timeout)
    }

    /// The first retained offset and the offset the next record will get, asked of the broker.
    public func watermarks(_ partition: TopicPartition, timeout: Duration = .seconds(10)) throws(KafkaError) -> (low: Int64, high: Int64) {
        try client.watermarks(partition, timeout: timeout)
    }
}

extension KafkaConsumer {
    /// How many records each partition's position is behind the partition's end, from the
    /// watermarks the last fetches brought back (no request is sent). Partitions without a
    /// known position or watermark are left out.
    public func lag(_ partitions: [TopicPartition]) -> [TopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let list = PartitionList(partitions)
        guard rd_kafka_position(client.handle, list.pointer) == RD_KAFKA_RESP_ERR_NO_ERROR else { return [:] }
        var out: [TopicPartition: Int64] = [:]
        for element in list.elements where element.offset >= 0 {
            var low: Int64 = 0
            var high: Int64 = 0
            let err = rd_kafka_get_watermark_offsets(
                client.handle, element.partition.topic, element.partition.partition, &low, &high)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { continue }
            out[element.partition] = max(high - element.offset, 0)
        }
        return out
    }
}

extension KafkaConsumer {
    /// The partition count of `topic` as the cluster describes it, or nil when it cannot be
    /// told within `timeout`.
    public func partitionCount(of topic: String, timeout: Duration = .seconds(5)) -> Int32? {
        guard let topics = try? client.topics(timeout: timeout), let found = topics.first(where: { $0.name == topic }) else { return nil }
        return Int32(found.partitions)
    }
}
