import BusKafka
import BusSchema

extension ProcessingLoop {
    /// Runs inside `poll`, on the loop's thread, before revoked partitions are given up.
    func rebalanced(_ event: RebalanceEvent) {
        switch event {
        case .assigned(let partitions):
            metrics.rebalances.increment(labels: ["kind": "assigned"])
            logger.info("partitions_assigned", .count(partitions.count))
            restoreState(for: Set(partitions.map(\.partition)))
            status.setAssigned(partitions.count)
        case .revoked(let partitions):
            metrics.rebalances.increment(labels: ["kind": "revoked"])
            logger.info("partitions_revoked", .count(partitions.count))
            drain(partitions)
            commit()
            forget(partitions)
            metrics.inputs.forget(partitions)
            status.setAssigned(0)
        }
    }

    /// Loads each new partition's state before any of its inputs is handled.
    private func restoreState(for partitionNumbers: Set<Int32>) {
        let missing = partitionNumbers.filter { stores[$0] == nil }.sorted()
        guard let restorer, !missing.isEmpty else {
            for number in missing { stores[number] = StateStore() }
            return
        }
        status.setRestoring(missing.count)
        for number in missing {
            let started = ContinuousClock.now
            do {
                let store = try restorer.restore(partition: number)
                stores[number] = store
                metrics.inputs.restored(in: .now - started)
                logger.info("state_restored", .topic(restorer.topic), .partition(number), .count(store.count), .duration(.now - started))
            } catch {
                // Without its state the partition would be handled wrongly: stop, and let the
                // orchestrator restart the worker (at-least-once replays the inputs).
                fatal = error
                logger.error("state_restore_failed", .topic(restorer.topic), .partition(number), .errorCode(error.name))
                return
            }
        }
        status.setRestoring(0)
        snapshots.recordRestored(stores)
    }

    /// Sends everything held and waits for deliveries until the partitions' inputs are done
    /// or the drain timeout passes; what is still in flight then is read again by the next owner.
    func drain(_ partitions: [TopicPartition]) {
        let deadline = ContinuousClock.now + options.drainTimeout
        for pending in coalescer.takeAll() { send(pending.record, for: .outputs(pending.tickets)) }
        while ContinuousClock.now < deadline, fatal == nil {
            settleDeliveries()
            sendDue(now: .now)
            let waiting = partitions.reduce(0) { $0 + tracker.inFlightCount(of: $1) }
            if waiting == 0 { return }
            if !retries.isEmpty {
                // Send retries now rather than after their delay: time is short.
                for retry in retries { send(retry.record, for: retry.purpose, attempt: retry.attempt) }
                retries.removeAll()
            }
            try? producer.flush(timeout: .milliseconds(100))
        }
        logger.warn("drain_incomplete", .count(partitions.reduce(0) { $0 + tracker.inFlightCount(of: $1) }))
    }

    /// Drops what the loop knew of revoked partitions: their next owner rebuilds it.
    private func forget(_ partitions: [TopicPartition]) {
        for partition in partitions {
            _ = tracker.revoke(partition)
            ledger.revoke(partition)
            pausedForRetry.remove(partition)
        }
        originals = originals.filter { entry in !partitions.contains(entry.key.partition) }
        let stillAssigned = Set(tracker.trackedPartitions.map(\.partition))
        for number in Set(partitions.map(\.partition)) where !stillAssigned.contains(number) {
            stores[number] = nil
        }
    }
}
