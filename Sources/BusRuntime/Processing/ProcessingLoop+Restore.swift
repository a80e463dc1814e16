import BusKafka
import BusSchema
import Foundation

/// Restores out of the rebalance callback: the assignment starts them (`RestoreJob`, one
/// thread), the loop turns on meanwhile (polling keeps the group's `max.poll.interval.ms` and
/// the liveness probe happy, other partitions are processed), and each partition is resumed
/// once its state is in. A partition waiting for its state is paused from the moment it is
/// assigned; a record of it read anyway (fetched before the pause took) is not handled but
/// read again from its offset once the state is in.
extension ProcessingLoop {
    /// Starts restoring the state partitions of `partitions` that have no state here yet;
    /// returns the input partitions that must wait for it (already paused).
    func startRestores(for partitions: [TopicPartition]) -> Set<TopicPartition> {
        let known = Set(stores.keys).union(waitingForRestore.keys)
        let missing = Set(partitions.map(\.partition)).subtracting(known).sorted()
        guard let restorer, !missing.isEmpty else {
            for number in missing { stores[number] = StateStore() }
            return waitingPartitions(among: partitions)
        }
        for partition in partitions where missing.contains(partition.partition) {
            waitingForRestore[partition.partition, default: []].append(partition)
        }
        let waiting = waitingPartitions(among: partitions)
        do { try consumer.pause(waiting.sorted()) } catch { logger.warn("pause_failed", .errorCode(error.name)) }
        snapshots.resetRestored(to: stores)
        restoreJobs.append(RestoreJob(restorer: restorer, partitions: missing) { [metrics] number, newlyRead, remaining in
            let label = ["partition": String(number)]
            metrics.restoreRecords.increment(by: Double(newlyRead), labels: label)
            metrics.restoreRemaining.set(Double(remaining), labels: label)
        })
        status.setRestoring(waitingForRestore.count)
        logger.info("state_restore_started", .topic(restorer.topic), .count(missing.count))
        return waiting
    }

    /// Installs the partitions restored since the last turn and resumes them.
    func finishRestores() {
        guard !restoreJobs.isEmpty else { return }
        restoreJobs = restoreJobs.filter { job in
            let (results, ended) = job.takeResults()
            install(results)
            return !ended
        }
    }

    /// Revoke or stop: restores of `numbers` (nil: all) are cancelled; partitions a cancelled
    /// job finished are kept, the others it still had to do start again in a new job.
    func cancelRestores(of numbers: Set<Int32>?) {
        let gone = numbers ?? Set(waitingForRestore.keys)
        guard !gone.isEmpty else { return }
        var restart: [TopicPartition] = []
        restoreJobs = restoreJobs.filter { job in
            guard !gone.isDisjoint(with: job.partitions) else { return true }
            install(job.cancel())
            let unfinished = job.partitions.filter { waitingForRestore[$0] != nil }
            if !unfinished.isEmpty { logger.info("state_restore_cancelled", .topic(flow.changelogTopic), .count(unfinished.count)) }
            for number in job.partitions where !gone.contains(number) { restart += waitingForRestore[number] ?? [] }
            return false
        }
        for number in gone { waitingForRestore[number] = nil }
        heldBack = heldBack.filter { !gone.contains($0.key.partition) }
        restart = restart.filter { waitingForRestore[$0.partition] != nil }
        for partition in restart { waitingForRestore[partition.partition] = nil }
        if !restart.isEmpty { _ = startRestores(for: restart) }
        status.setRestoring(waitingForRestore.count)
    }

    /// Whether `record` belongs to a partition whose state is not in yet: then it is not
    /// handled, and its partition is read again from it once the state is in. Requests are
    /// never held back: their partitions are keyed by the asker, not co-partitioned with the
    /// state, so nothing would read them again; they are answered from the state that is in.
    func holdsBack(_ record: ConsumedRecord) -> Bool {
        guard requestRoutes[record.topic] == nil, waitingForRestore[record.partition] != nil else { return false }
        let partition = record.topicPartition
        heldBack[partition] = min(heldBack[partition] ?? record.offset, record.offset)
        return true
    }

    private func install(_ results: [RestoreJob<F.State>.Result]) {
        for result in results {
            switch result {
            case .restored(let number, let store, let took):
                guard let partitions = waitingForRestore.removeValue(forKey: number) else { continue }
                stores[number] = store
                stateSizes[number] = nil
                restoreTimers(partition: number, store: store)
                snapshots.recordRestored(number, store)
                metrics.inputs.restored(in: took)
                logger.info("state_restored", .topic(flow.changelogTopic), .partition(number), .count(store.count), .duration(took))
                rewind(partitions)
                perform(core.assigned(partitions))
                applyKnownErasures(to: [number])
                lookAgain(afterRestoreOf: number)
            case .failed(let number, let error):
                // Without its state the partition would be handled wrongly: stop, and let the
                // orchestrator restart the worker (at-least-once replays the inputs).
                fatal = error
                logger.error("state_restore_failed", .topic(flow.changelogTopic), .partition(number), .error(error))
            }
        }
        status.setRestoring(waitingForRestore.count)
    }

    /// The flow looks again at a restored partition (`Flow.restored`): a held order's customer
    /// may have been linked while the partition was owned elsewhere, and no input or table
    /// record would bring it up again. The cause names the partition and the moment, so two
    /// restores of one partition never give two outputs one id.
    private func lookAgain(afterRestoreOf number: Int32) {
        guard !flow.watchedTables.isEmpty else { return }
        let now = Instant(Date())
        let cause = Envelope(id: EventID.fromFacts("restored", [flow.name, String(number), now.description]).rawValue,
                             source: "bus/\(flow.name)", type: Self.restoredEventType, time: now)
        runOverPartitions(cause: cause, key: nil, only: [number]) { [flow, tables] state in
            try flow.restored(cause: cause, state: &state, tables: tables)
        }
    }

    /// The CloudEvents type of a restore's envelope (never on the wire: outputs get their own).
    static var restoredEventType: String { "bus.partition-restored" }

    /// Seeks partitions whose records were read before their state was in back to the first.
    private func rewind(_ partitions: [TopicPartition]) {
        var positions: [TopicPartition: Int64] = [:]
        for partition in partitions {
            if let offset = heldBack.removeValue(forKey: partition) { positions[partition] = offset }
        }
        guard !positions.isEmpty else { return }
        // Records read ahead of these partitions come after the first held back: read again.
        _ = readAhead.drop(Set(positions.keys))
        do {
            try consumer.seek(positions)
        } catch {
            // The records would be skipped: stop rather than lose them (the restart reads them).
            fatal = RuntimeError(.fatalClientError, "cannot read records held back during a restore again: \(error.message)",
                                 context: ["error": error.name])
        }
    }

    private func waitingPartitions(among partitions: [TopicPartition]) -> Set<TopicPartition> {
        Set(partitions.filter { waitingForRestore[$0.partition] != nil })
    }
}
