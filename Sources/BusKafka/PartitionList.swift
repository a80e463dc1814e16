import CRdKafka

/// Where a consumer starts reading a partition.
public enum StartOffset: Sendable, Hashable {
    /// The earliest retained record.
    case beginning
    /// After the last record: only new records.
    case end
    /// The group's committed offset (falling back to `auto.offset.reset`).
    case committed
    /// An exact offset: the next record read has this offset.
    case offset(Int64)

    var native: Int64 {
        switch self {
        case .beginning: Int64(RD_KAFKA_OFFSET_BEGINNING)
        case .end: Int64(RD_KAFKA_OFFSET_END)
        case .committed: Int64(RD_KAFKA_OFFSET_STORED)
        case .offset(let offset): offset
        }
    }
}

/// Owns one `rd_kafka_topic_partition_list_t` for the duration of a call.
final class PartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(_ entries: [(TopicPartition, Int64?)]) {
        // rd_kafka_topic_partition_list_new aborts on allocation failure rather than
        // returning NULL, so the unwrap below cannot fail in practice.
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: entries.count))
        for (tp, offset) in entries {
            let element = rd_kafka_topic_partition_list_add(pointer, tp.topic, tp.partition)
            if let offset { element?.pointee.offset = offset }
        }
    }

    convenience init(_ partitions: [TopicPartition]) {
        self.init(partitions.map { ($0, nil) })
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    /// Reads a list librdkafka owns (or this one) into values.
    static func elements(
        of list: UnsafePointer<rd_kafka_topic_partition_list_t>?
    ) -> [(partition: TopicPartition, offset: Int64, error: rd_kafka_resp_err_t)] {
        guard let list, let elems = list.pointee.elems else { return [] }
        return (0..<Int(list.pointee.cnt)).map { index in
            let element = elems[index]
            return (
                TopicPartition(topic: String(cString: element.topic), partition: element.partition),
                element.offset, element.err
            )
        }
    }

    var elements: [(partition: TopicPartition, offset: Int64, error: rd_kafka_resp_err_t)] {
        Self.elements(of: pointer)
    }

    /// The first per-partition error, if any: librdkafka reports those inside the list.
    func firstError(operation: String) -> KafkaError? {
        elements.first { $0.error != RD_KAFKA_RESP_ERR_NO_ERROR }.map {
            KafkaError($0.error, context: ["operation": operation, "partition": $0.partition.description])
        }
    }
}
