import BusKafka
import BusRuntime
import Foundation

/// A record of `bus.dlq.<worker>` as the worker runtime writes it: the original key, value
/// and headers, plus `bus_*` headers saying why, where from and when.
///
struct DeadLetterRecord {
    /// Header names, as the runtime writes them.
    typealias Header = DeadLetterHeader

    /// The dead-letter record itself.
    let record: ConsumedRecord

    /// The short id operators type: `<partition>/<offset>` in the dead-letter topic.
    var id: String { "\(record.partition)/\(record.offset)" }
    /// The full name, `bus.dlq.<worker>/<partition>/<offset>`: the value of `bus_replayed_from`.
    var reference: String { "\(record.topic)/\(record.partition)/\(record.offset)" }

    func header(_ name: String) -> String? { record.headers.string(name) }

    /// Where the record was read when it failed, if the headers say.
    var original: (partition: TopicPartition, offset: Int64)? {
        guard let topic = header(Header.originalTopic), let partition = header(Header.originalPartition).flatMap(Int32.init),
              let offset = header(Header.originalOffset).flatMap(Int64.init) else { return nil }
        return (TopicPartition(topic: topic, partition: partition), offset)
    }

    /// `topic/partition/offset` of the original, or "unknown".
    var originalDescription: String {
        original.map { "\($0.partition.topic)/\($0.partition.partition)/\($0.offset)" } ?? "unknown"
    }

    /// The record to publish again: the original key, value and headers without any `bus_*`
    /// header, plus `bus_replayed_from`. A keyed record goes where its key belongs: the
    /// producer's partitioner (murmur2, as every bus producer's) chooses, so a record
    /// dead-lettered `wrong_partition` lands in the partition its entity lives in; an unkeyed
    /// one goes back to its original partition. Nil when the headers do not say where the
    /// record came from.
    var replay: ProducerRecord? {
        guard let original else { return nil }
        var headers = record.headers.filter { !$0.key.hasPrefix(Header.busPrefix) }
        headers.append(KafkaHeader(key: Header.replayedFrom, string: reference))
        return ProducerRecord(
            topic: original.partition.topic, partition: record.key == nil ? original.partition.partition : nil,
            key: record.key, value: record.value, headers: headers)
    }

    /// The partition a replay lands in, given the original topic's partition count: the
    /// murmur2 partition of the key (`Murmur2Partitioner`, what the producer computes), or the
    /// original partition for an unkeyed record or an unknown count.
    func replayPartition(partitions: Int32?) -> TopicPartition? {
        guard let original else { return nil }
        guard let key = record.key, let partitions, partitions > 0 else { return original.partition }
        return TopicPartition(topic: original.partition.topic, partition: Murmur2Partitioner.partition(of: key, partitions: partitions))
    }

    /// Reads an id typed by an operator: `<partition>/<offset>` or `bus.dlq.<worker>/<partition>/<offset>`.
    static func parseID(_ text: String, topic: String) -> (partition: Int32, offset: Int64)? {
        var rest = Substring(text)
        if rest.hasPrefix(topic + "/") { rest = rest.dropFirst(topic.count + 1) }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let partition = Int32(parts[0]), partition >= 0, let offset = Int64(parts[1]), offset >= 0 else { return nil }
        return (partition, offset)
    }
}
