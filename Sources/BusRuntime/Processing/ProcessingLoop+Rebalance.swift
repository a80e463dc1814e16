import BusKafka
import BusSchema

extension ProcessingLoop {
    /// Runs inside `poll`, on the loop's thread, before revoked partitions are given up.
    func rebalanced(_ event: RebalanceEvent) {
        switch event {
        case .assigned(let partitions):
            metrics.rebalances.increment(labels: ["kind": "assigned"])
            logger.info("partitions_assigned", .count(partitions.count))
            noteRequestPartitions(assigned: partitions)
            // State is restored in the background; the partitions waiting for it join the
            // core when it is in (`finishRestores`). Request partitions are keyed by the
            // asker, not by entity: they neither start a restore nor wait for one.
            let waiting = startRestores(for: partitions.filter { requestRoutes[$0.topic] == nil })
            let ready = partitions.filter { !waiting.contains($0) }
            perform(core.assigned(ready))
            applyKnownErasures(to: Set(ready.map(\.partition)))
            status.setAssigned(partitions.count)
        case .revoked(let partitions):
            metrics.rebalances.increment(labels: ["kind": "revoked"])
            logger.info("partitions_revoked", .count(partitions.count))
            // Returned by the consumer before the revoke: handled before it, as one thread
            // handles a record before its next poll. Dropping them instead loses them: the
            // consumer's position is past them, and librdkafka resumes a partition given back
            // to this member from there, not from the commit (RebalanceAndFaultTests caught it).
            handleReadAhead()
            cancelRestores(of: Set(partitions.map(\.partition)))
            // The cancelled restores' threads have ended: no progress can set these again, and a
            // stale count would read as a restore under way for ever (BusStateRestoreLong).
            for number in Set(partitions.map(\.partition)) { metrics.restoreRemaining.remove(labels: ["partition": String(number)]) }
            fenceAndDrain(partitions)
            perform(core.revoked(partitions))
            // Held for a pause (or handed back by a resume during the drain): never seen by
            // the core, so not committed either; the partitions' next owner reads them.
            let forgotten = readAhead.revoke(partitions)
            if forgotten > 0 { logger.debug("read_ahead_forgotten", .count(forgotten)) }
            let stillTracked = core.trackedStatePartitions
            for number in Set(partitions.map(\.partition)) where !stillTracked.contains(number) {
                stores[number] = nil
                stateSizes[number] = nil
                metrics.stateKeys.remove(labels: ["partition": String(number)])
                metrics.stateBytes.remove(labels: ["partition": String(number)])
            }
            metrics.inputs.forget(partitions)
            for partition in partitions { requestPartitionsSince[partition] = nil }
            status.setAssigned(0)
        }
    }

    /// No zombie writes: once this handler returns, another member may own the partitions, so
    /// none of this worker's records for them may land afterwards, or a late output (or state
    /// record) would overwrite the new owner's on a compacted topic.
    ///
    /// The design is fencing by purge. When partitions are given up normally, their inputs are
    /// drained (bounded by the drain timeout); whatever is still undelivered then is purged
    /// from the producer before the handler returns, so no queued record leaves after the
    /// revoke (purged inputs are not committed: the next owner handles them again). Eager
    /// assignment hands the partitions over only after every member's revoke handler has
    /// returned and the group has rejoined, so the new owner starts after the purge. When the
    /// assignment was lost instead (session timeout, `max.poll.interval.ms` passed,
    /// `rd_kafka_assignment_lost`), the partitions may already be someone else's: nothing is
    /// drained, everything is purged at once. Records already on the wire are written within
    /// one request round-trip; they were sent while this worker still owned the partitions.
    /// Reports that arrive for a forgotten partition change nothing (`ProcessingCore.isStale`).
    /// Purging also fails the records of partitions still owned; the core sends those again.
    private func fenceAndDrain(_ partitions: [TopicPartition]) {
        if consumer.assignmentLost {
            metrics.assignmentsLost.increment()
            logger.error("assignment_lost", .count(core.inFlight(of: partitions)))
            producer.purge()
            return
        }
        drain(partitions)
        let undelivered = core.inFlight(of: partitions)
        if undelivered > 0 {
            logger.warn("undelivered_outputs_purged", .count(undelivered))
            producer.purge()
        }
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
