import BusKafka
import BusSchema
import Foundation

/// Rebuilds a partition's state from the worker's changelog: the last value per key wins
/// and a tombstone deletes (the embedded cluster does not compact, so every change is read).
///
/// A value that cannot be decoded stops the restore: skipping it would let an older value
/// of its key win silently, and the flow would then act on state it never had. There is no
/// time limit (a large changelog takes what it takes); progress (`state_restore_progress`: the
/// next offset and the records still to read) is logged every few seconds.
///
/// A broker that cannot be reached is no reason to stop: a worker restarted into an outage
/// would otherwise exit, be restarted, and fail again until the broker is back. A retriable
/// Kafka error (`state_restore_retry`, warning) starts the partition's read again after a
/// capped backoff, until it succeeds or a stop is asked; only a non-retriable error (or an
/// undecodable value) fails the restore.
struct StateRestorer<Value: Codable & Sendable & Equatable>: Sendable {
    let topic: String
    let config: KafkaConfig
    let logger: Logger
    var progressInterval: Duration = .seconds(5)
    var retryBackoff: Backoff = .transientFailures

    /// The state of changelog partition `partition`, read up to its end as it is now.
    /// `stopRequested` is asked between reads: a stop during a long restore ends it.
    /// `progress` is told, every few hundred records and at the end, how many records were
    /// read and how many remain: the caller keeps its liveness and metrics current with it.
    func restore(partition: Int32, stopRequested: () -> Bool = { false },
                 progress: (_ read: Int64, _ remaining: Int64) -> Void = { _, _ in }) throws(RuntimeError) -> StateStore<Value> {
        var attempt = 0
        while true {
            do {
                return try read(partition: partition, stopRequested: stopRequested, progress: progress)
            } catch let error as RuntimeError {
                throw error
            } catch let error as KafkaError where error.isRetriable && !error.isFatal {
                attempt += 1
                let delay = retryBackoff.delay(forAttempt: attempt)
                logger.warn("state_restore_retry", .topic(topic), .partition(partition), .attempt(attempt), .delay(delay), .errorCode(error.name))
                try wait(delay, partition: partition, stopRequested: stopRequested)
            } catch let error as KafkaError {
                throw RuntimeError(.stateRestoreFailed, "the changelog could not be read: \(error.message)",
                                   context: ["topic": topic, "partition": String(partition), "error": error.name])
            } catch {
                throw RuntimeError(.stateRestoreFailed, "the changelog could not be read", context: ["topic": topic, "partition": String(partition)])
            }
        }
    }

    /// Sleeps `delay` in short steps, so a stop asked meanwhile ends the restore at once.
    private func wait(_ delay: Duration, partition: Int32, stopRequested: () -> Bool) throws(RuntimeError) {
        let until = ContinuousClock.now + delay
        while ContinuousClock.now < until {
            if stopRequested() { throw stopped(partition: partition) }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    private func stopped(partition: Int32) -> RuntimeError {
        RuntimeError(.stateRestoreFailed, "the worker was asked to stop while restoring its state",
                     context: ["topic": topic, "partition": String(partition)])
    }

    private func read(partition: Int32, stopRequested: () -> Bool, progress: (Int64, Int64) -> Void) throws -> StateStore<Value> {
        var readerConfig = config
        readerConfig.groupID = nil
        readerConfig.set("enable.partition.eof", "true")
        let reader = try KafkaConsumer(config: readerConfig, onEvent: KafkaSettings.clientLog(logger, config: readerConfig))
        defer { reader.close() }
        let tp = TopicPartition(topic: topic, partition: partition)
        // Short: a stop must not wait for a query to a broker that is down (a retry follows).
        let (low, high) = try reader.watermarks(tp, timeout: .seconds(2))
        var values: [String: Value] = [:]
        guard high > low else { return StateStore(values) }
        try reader.assign([tp: .beginning])
        let decoder = JSONDecoder()
        var nextProgress = ContinuousClock.now + progressInterval
        var read: Int64 = 0
        var lastOffset = low - 1
        defer { progress(read, max(high - 1 - lastOffset, 0)) }
        readLoop: while true {
            if stopRequested() { throw stopped(partition: partition) }
            if ContinuousClock.now >= nextProgress {
                nextProgress = .now + progressInterval
                logger.info("state_restore_progress", .topic(topic), .partition(partition), .offset(lastOffset + 1), .count(Int(high - 1 - lastOffset)))
            }
            switch reader.poll(timeout: .milliseconds(100)) {
            case .record(let record)?:
                read += 1
                lastOffset = record.offset
                if read % 500 == 0 { progress(read, high - 1 - lastOffset) }
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
