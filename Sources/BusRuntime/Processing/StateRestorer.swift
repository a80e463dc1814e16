import BusKafka
import BusSchema
import Foundation

/// Rebuilds a partition's state from the worker's changelog: the last value per key wins
/// and a tombstone deletes (the embedded cluster does not compact, so every change is read).
struct StateRestorer<Value: Codable & Sendable & Equatable>: Sendable {
    let topic: String
    let config: KafkaConfig
    let logger: Logger
    var timeout: Duration = .seconds(60)

    /// The state of changelog partition `partition`, read up to its end as it is now.
    func restore(partition: Int32) throws(KafkaError) -> StateStore<Value> {
        var readerConfig = config
        readerConfig.groupID = nil
        readerConfig.set("enable.partition.eof", "true")
        let reader = try KafkaConsumer(config: readerConfig, onEvent: KafkaSettings.clientLog(logger, config: readerConfig))
        defer { reader.close() }
        let tp = TopicPartition(topic: topic, partition: partition)
        let (low, high) = try reader.watermarks(tp)
        var values: [String: Value] = [:]
        guard high > low else { return StateStore(values) }
        try reader.assign([tp: .beginning])
        let decoder = JSONDecoder()
        let deadline = ContinuousClock.now + timeout
        var skipped = 0
        readLoop: while ContinuousClock.now < deadline {
            switch reader.poll(timeout: .milliseconds(100)) {
            case .record(let record)?:
                if let key = record.keyString {
                    if let data = record.value {
                        do { values[key] = try decoder.decode(Value.self, from: data) } catch { skipped += 1 }
                    } else {
                        values[key] = nil
                    }
                }
                if record.offset >= high - 1 { break readLoop }
            case .partitionEnd(_, let offset)? where offset >= high:
                break readLoop
            case .error(let error)? where error.isFatal:
                throw error
            default:
                continue
            }
        }
        guard ContinuousClock.now < deadline else { throw KafkaError.timedOut("restoring \(tp) from its changelog") }
        if skipped > 0 { logger.error("changelog_records_unreadable", .topic(topic), .partition(partition), .count(skipped)) }
        return StateStore(values)
    }
}
