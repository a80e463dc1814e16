import BusKafka

/// What each in-flight input still waits for, and when its state changes may be written.
///
/// An input is done in two phases. First its outputs are delivered. Then its state changes
/// are written to the changelog, strictly in input order per state partition, and only when
/// every earlier input of the state partition has reached that point. A state partition is a
/// partition number: it takes the inputs of that number from every input topic (co-partitioned
/// by key), so an invoice and a status of one order change the same value; ordering by topic
/// partition alone let the earlier input's older value land after the later one's, and a
/// successor restored a value that had lost the later input, already committed. So the changelog never says an
/// input was handled unless its outputs exist (a crash then replays it and the outputs are
/// produced again, with the same ids), and a key changed by two inputs ends with the later
/// value. Consecutive ready inputs share one changelog write per key: a burst on one key
/// writes its last value once.
///
/// A pure value type: events return what to do; the caller produces and stores.
struct InputLedger<Change: Sendable>: Sendable {
    /// A group of inputs whose merged state changes are written together.
    struct ChangelogBatch: Sendable {
        /// Identifies the batch in delivery reports.
        let id: UInt64
        /// The input partition of its first input; its number is the changelog partition.
        let partition: TopicPartition
        /// The last change per state key among the batch's inputs.
        let changes: [String: Change]
        /// The inputs done once the batch's records are delivered.
        let tickets: [OffsetTracker.Ticket]
    }

    fileprivate struct Entry {
        var pendingOutputs: Int
        var changes: [(String, Change)]
    }

    fileprivate var entries: [OffsetTracker.Ticket: Entry] = [:]
    /// Per state partition (partition number, all input topics), the admitted inputs in the
    /// order they were handled whose changes are not yet written.
    private var queues: [Int32: [OffsetTracker.Ticket]] = [:]
    private var batches: [UInt64: (remaining: Int, tickets: [OffsetTracker.Ticket])] = [:]
    private var lastBatchID: UInt64 = 0

    /// Registers a handled input with its number of outputs and its state changes in order.
    /// Returns the changelog batches that became ready (an input with no outputs may be).
    mutating func admit(_ ticket: OffsetTracker.Ticket, outputs: Int, changes: [(String, Change)]) -> [ChangelogBatch] {
        entries[ticket] = Entry(pendingOutputs: max(outputs, 0), changes: changes)
        queues[ticket.partition.partition, default: []].append(ticket)
        return takeReady(ticket.partition.partition)
    }

    /// One output of `ticket` was delivered (or dead-lettered in its place).
    mutating func outputDelivered(_ ticket: OffsetTracker.Ticket) -> [ChangelogBatch] {
        guard entries[ticket] != nil else { return [] }
        entries[ticket]?.pendingOutputs -= 1
        return takeReady(ticket.partition.partition)
    }

    /// Every output of `ticket` is settled at once (the input was dead-lettered instead).
    mutating func settleOutputs(_ ticket: OffsetTracker.Ticket, dropChanges: Bool) -> [ChangelogBatch] {
        guard entries[ticket] != nil else { return [] }
        entries[ticket]?.pendingOutputs = 0
        if dropChanges { entries[ticket]?.changes = [] }
        return takeReady(ticket.partition.partition)
    }

    /// Registers a batch whose `records` changelog records were produced. A batch with none
    /// is done at once: its tickets are returned.
    mutating func batchProduced(_ batch: ChangelogBatch, records: Int) -> [OffsetTracker.Ticket] {
        guard records > 0 else { return batch.tickets }
        batches[batch.id] = (records, batch.tickets)
        return []
    }

    /// One changelog record of a batch was delivered. Returns the inputs now done.
    mutating func changelogDelivered(batch id: UInt64) -> [OffsetTracker.Ticket] {
        guard var batch = batches[id] else { return [] }
        batch.remaining -= 1
        guard batch.remaining <= 0 else {
            batches[id] = batch
            return []
        }
        batches[id] = nil
        return batch.tickets
    }

    /// Forgets a revoked partition: its inputs will be consumed again.
    mutating func revoke(_ partition: TopicPartition) {
        let queue = queues[partition.partition] ?? []
        for ticket in queue where ticket.partition == partition { entries[ticket] = nil }
        let kept = queue.filter { $0.partition != partition }
        queues[partition.partition] = kept.isEmpty ? nil : kept
        batches = batches.filter { !$0.value.tickets.contains { $0.partition == partition } }
    }

    /// Whether a produced batch still waits for deliveries.
    func isPending(batch id: UInt64) -> Bool { batches[id] != nil }

    /// Inputs admitted and not yet in a written batch.
    var pendingInputs: Int { entries.count }

    /// Changelog batches produced and not yet delivered.
    var pendingBatches: Int { batches.count }

    private mutating func takeReady(_ partition: Int32) -> [ChangelogBatch] {
        guard var queue = queues[partition] else { return [] }
        var merged: [String: Change] = [:]
        var tickets: [OffsetTracker.Ticket] = []
        while let head = queue.first, let entry = entries[head], entry.pendingOutputs <= 0 {
            for (key, change) in entry.changes { merged[key] = change }
            tickets.append(head)
            entries[head] = nil
            queue.removeFirst()
        }
        queues[partition] = queue.isEmpty ? nil : queue
        guard let first = tickets.first else { return [] }
        lastBatchID &+= 1
        return [ChangelogBatch(id: lastBatchID, partition: first.partition, changes: merged, tickets: tickets)]
    }
}

extension InputLedger {
    /// Forgets the state changes of an input still waiting for outputs (one was refused).
    mutating func dropChanges(_ ticket: OffsetTracker.Ticket) {
        entries[ticket]?.changes = []
    }
}
