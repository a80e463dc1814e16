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
            perform(core.assigned(partitions))
            status.setAssigned(partitions.count)
        case .revoked(let partitions):
            metrics.rebalances.increment(labels: ["kind": "revoked"])
            logger.info("partitions_revoked", .count(partitions.count))
            drain(partitions)
            perform(core.revoked(partitions))
            let stillTracked = core.trackedStatePartitions
            for number in Set(partitions.map(\.partition)) where !stillTracked.contains(number) { stores[number] = nil }
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
                let store = try restorer.restore(partition: number, stopRequested: stopRequested)
                stores[number] = store
                logger.info("state_restored", .topic(restorer.topic), .partition(number), .count(store.count), .duration(.now - started))
            } catch {
                // Without its state the partition would be handled wrongly: stop, and let the
                // orchestrator restart the worker (at-least-once replays the inputs).
                fatal = error
                logger.error("state_restore_failed", .topic(restorer.topic), .partition(number), .errorCode(error.code.rawValue))
                return
            }
        }
        status.setRestoring(0)
        snapshots.recordRestored(stores)
    }

    /// Sends everything held and waits for deliveries until the partitions' inputs are done
    /// or the drain timeout passes; what is still in flight then is read again by the next owner.
    func drain(_ partitions: [TopicPartition]) {
        let deadline = min(ContinuousClock.now + options.drainTimeout, stopDeadline ?? .now + options.drainTimeout)
        perform(core.draining())
        while ContinuousClock.now < deadline, fatal == nil {
            settleDeliveries()
            if core.inFlight(of: partitions) == 0 { return }
            // Retries scheduled meanwhile go at once: time is short.
            perform(core.draining())
            try? producer.flush(timeout: .milliseconds(100))
        }
        metrics.drainTimeouts.increment()
        logger.warn("drain_incomplete", .count(core.inFlight(of: partitions)))
    }
}
