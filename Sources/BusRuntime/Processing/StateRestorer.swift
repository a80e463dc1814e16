import BusKafka
import BusSchema
import Foundation

/// Rebuilds a partition's state from the worker's changelog: the last value per key wins
/// and a tombstone deletes (the embedded cluster does not compact, so every change is read).
///
/// A value that cannot be decoded stops the restore: skipping it would let an older value
/// of its key win silently, and the flow would then act on state it never had. There is no
/// time limit (a large changelog takes what it takes); progress is logged every few seconds.
struct StateRestorer<Value: Codable & Sendable & Equatable>: Sendable {
    let topic: String
    let config: KafkaConfig
    let logger: Logger
    var progressInterval: Duration = .seconds(5)

    /// The state of changelog partition `partition`, read up to its end as it is now.
    /// `stopRequested` is asked between reads: a stop during a long restore ends it.
    func restore(partition: Int32, stopRequested: () -> Bool = { false }) throws(RuntimeError) -> StateStore<Value> {
        do {
            return try read(partition: partition, stopRequested: stopRequested)
        } catch let error as RuntimeError {
            throw error
        } catch let error as KafkaError {
            throw RuntimeError(.stateRestoreFailed, "the changelog could not be read: \(error.message)",
                               context: ["topic": topic, "partition": String(partition), "error": error.name])
        } catch {
            throw RuntimeError(.stateRestoreFailed, "the changelog could not be read", context: ["topic": topic, "partition": String(partition)])
        }
    }

    private func read(partition: Int32, stopRequested: () -> Bool) throws -> StateStore<Value> {
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
        var nextProgress = ContinuousClock.now + progressInterval
        readLoop: while true {
            if stopRequested() {
                throw RuntimeError(.stateRestoreFailed, "the worker was asked to stop while restoring its state",
                                   context: ["topic": topic, "partition": String(partition)])
            }
            if ContinuousClock.now >= nextProgress {
                nextProgress = .now + progressInterval
                logger.info("state_restore_progress", .topic(topic), .partition(partition), .count(values.count))
            }
            switch reader.poll(timeout: .milliseconds(100)) {
            case .record(let record)?:
                if let key = record.keyString {
                    if let data = record.value {
                        do {
                            values[key] = try decoder.decode(Value.self, from: data)
                        } catch {
                            throw RuntimeError(
                                .stateUndecodable,
                                "a changelog value does not decode as this worker's state (\(type(of: error))); "
                                    + "fix or tombstone the record, or deploy the version that wrote it",
                                context: ["topic": topic, "partition": String(partition), "offset": String(record.offset)])
                        }
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
        return StateStore(values)
    }
}
