import BusKafka
import Foundation
import Synchronization

/// Replays dead letters to their original topics, each at most once.
///
/// How "once" is known: a replayed record carries `bus_replayed_from` naming its dead
/// letter, and goes to the partition its key belongs to (see `DeadLetterRecord.replay`). So
/// before publishing, that partition is read to its end, from the dead letter's original
/// offset when it is the original partition (the usual case), else from its first record (a
/// `wrong_partition` dead letter): a record there with that header means the dead letter was
/// replayed, and nothing is published. The truth is on the topic itself, not in a file or an offset of this tool:
/// it holds whoever replayed, from any machine, and after a replay whose acknowledgement was
/// lost (the check finds it and does not publish again).
///
/// Limits, said plainly: two operators replaying the same dead letter at the same instant can
/// both pass the check; and once retention has deleted a replayed record, its dead letter can
/// be replayed again.
struct DeadLetterReplay {
    let connection: ClusterConnection

    /// For each dead letter already replayed, where its replay is (`topic/partition/offset`).
    func replays(of letters: [DeadLetterRecord]) throws -> [String: String] {
        let wanted = Set(letters.map(\.reference))
        let counts = try partitionCounts(of: Set(letters.compactMap { $0.original?.partition.topic }))
        var starts: [TopicPartition: Int64?] = [:]
        for letter in letters {
            guard let original = letter.original, let target = letter.replayPartition(partitions: counts[original.partition.topic]) else { continue }
            // In the original partition a replay comes after the original; elsewhere offsets say nothing.
            let start: Int64? = target == original.partition ? original.offset + 1 : nil
            if let current = starts[target] {
                guard let current, let start else { starts[target] = .some(nil); continue }
                starts[target] = min(current, start)
            } else {
                starts[target] = start
            }
        }
        var found: [String: String] = [:]
        try PartitionScan(connection: connection).read(from: starts) { record in
            guard let from = record.headers.string(DeadLetterRecord.Header.replayedFrom), wanted.contains(from) else { return }
            found[from] = found[from] ?? "\(record.topic)/\(record.partition)/\(record.offset)"
        }
        return found
    }

    /// The partition count of each topic in `topics` that the cluster has.
    private func partitionCounts(of topics: Set<String>) throws -> [String: Int32] {
        guard !topics.isEmpty else { return [:] }
        let reader = try connection.reader()
        defer { reader.close() }
        return Dictionary(uniqueKeysWithValues: try connection.topics(reader).filter { topics.contains($0.name) }.map { ($0.name, Int32($0.partitions)) })
    }

    /// What a replay did to one dead letter.
    enum Outcome {
        case published(DeliveryReport)
        case alreadyReplayed(at: String)
        case failed(String)
    }

    /// Replays `letters` in order (original topic, partition, offset), skipping those already
    /// replayed; `progress` is told how many are settled as outcomes come in.
    func replay(_ letters: [DeadLetterRecord], progress: (Int) -> Void = { _ in }) throws -> [(DeadLetterRecord, Outcome)] {
        let done = try replays(of: letters)
        let ordered = letters.sorted { lhs, rhs in
            let l = lhs.original, r = rhs.original
            return (l?.partition.topic ?? "", l?.partition.partition ?? -1, l?.offset ?? -1)
                < (r?.partition.topic ?? "", r?.partition.partition ?? -1, r?.offset ?? -1)
        }
        var outcomes = [Outcome?](repeating: nil, count: ordered.count)
        var toSend: [(Int, ProducerRecord)] = []
        for (index, letter) in ordered.enumerated() {
            if let location = done[letter.reference] {
                outcomes[index] = .alreadyReplayed(at: location)
            } else if let record = letter.replay {
                toSend.append((index, record))
            } else {
                outcomes[index] = .failed("the dead letter does not say where it came from (no bus_original_* headers)")
            }
        }
        var settled = ordered.count - toSend.count
        progress(settled)
        if !toSend.isEmpty {
            // All enqueued at once: the idempotent producer keeps their order per partition,
            // and the loop below only counts outcomes for the progress report.
            let producer = try connection.producer()
            defer { producer.close() }
            let results = Mutex<[Int: Result<DeliveryReport, KafkaError>]>([:])
            let signal = DispatchSemaphore(value: 0)
            for (index, record) in toSend {
                producer.enqueue(record) { result in
                    results.withLock { $0[index] = result }
                    signal.signal()
                }
            }
            for _ in toSend {
                signal.wait()
                settled += 1
                progress(settled)
            }
            for (index, result) in results.withLock({ $0 }) {
                switch result {
                case .success(let report): outcomes[index] = .published(report)
                case .failure(let error): outcomes[index] = .failed(error.description)
                }
            }
        }
        return zip(ordered, outcomes).map { ($0, $1 ?? .failed("no outcome")) }
    }
}
