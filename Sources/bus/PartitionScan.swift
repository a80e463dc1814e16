import BusKafka
import Foundation

/// Reads partitions from a start up to their end as it was when the scan began, then stops:
/// what `dlq`, `exceptions`, `tail --until-end` and the replay check need.
///
/// Records written during the scan are not waited for. The scan is bounded: past `limit`
/// it fails, saying how far it got, rather than wait on a cluster that stopped answering.
struct PartitionScan {
    let connection: ClusterConnection
    var limit = Duration.seconds(120)

    /// Calls `body` with every record from `starts` (an exact offset, or nil for the first
    /// retained one) to the end, partition by partition in offset order. Returns the number of
    /// records read.
    @discardableResult
    func read(from starts: [TopicPartition: Int64?], _ body: (ConsumedRecord) throws -> Void) throws -> Int {
        guard !starts.isEmpty else { return 0 }
        let consumer = try connection.reader(eof: true)
        defer { consumer.close() }
        var ends: [TopicPartition: Int64] = [:]
        var assignment: [TopicPartition: StartOffset] = [:]
        for (partition, start) in starts {
            let marks: (low: Int64, high: Int64)
            do throws(KafkaError) { marks = try consumer.watermarks(partition, timeout: ClusterConnection.requestTimeout) }
            catch where ["_UNKNOWN_PARTITION", "UNKNOWN_TOPIC_OR_PART", "_UNKNOWN_TOPIC"].contains(error.name) {
                throw CommandFailure("\(partition) does not exist on the cluster at \(connection.brokers)")
            } catch {
                throw connection.unreachable(error)
            }
            let first = max(start ?? marks.low, marks.low)
            guard first < marks.high else { continue }
            ends[partition] = marks.high
            assignment[partition] = .offset(first)
        }
        guard !assignment.isEmpty else { return 0 }
        try consumer.assign(assignment)
        var count = 0
        let deadline = ContinuousClock.now + limit
        while !ends.isEmpty {
            guard ContinuousClock.now < deadline else {
                let left = ends.keys.sorted().map(\.description).joined(separator: ", ")
                throw CommandFailure("reading stopped after \(limit) with \(Format.count(count, "record")) read; not at the end of \(left)")
            }
            switch consumer.poll(timeout: .milliseconds(200)) {
            case .record(let record)?:
                guard let end = ends[record.topicPartition], record.offset < end else { continue }
                count += 1
                try body(record)
                if record.offset + 1 >= end { ends[record.topicPartition] = nil }
            case .partitionEnd(let partition, _)?:
                ends[partition] = nil
            case .error(let error)? where error.isFatal:
                throw error
            default:
                continue
            }
        }
        return count
    }

    /// Every record of every partition of `topic`, from the first retained one to the end.
    @discardableResult
    func readAll(_ topic: String, _ body: (ConsumedRecord) throws -> Void) throws -> Int {
        let probe = try connection.reader()
        defer { probe.close() }
        let partitions = try connection.partitions(of: topic, using: probe)
        return try read(from: Dictionary(uniqueKeysWithValues: partitions.map { ($0, nil) }), body)
    }
}
