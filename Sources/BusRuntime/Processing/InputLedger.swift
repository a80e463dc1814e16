import BusKafka

/// What each in-flight input (or piece of work tied to no input) still waits for, and when
/// its state changes may be written.
///
/// An input is done in two phases. First its outputs are delivered. Then its state changes
/// are written to the changelog, strictly in the order the inputs were handled per state
/// partition, and only when every earlier input of that state partition has reached that
/// point. So the changelog never says an input was handled unless its outputs exist (a crash
/// then replays it and the outputs are produced again, with the same ids), and a key changed
/// by two inputs ends with the later value. Consecutive ready inputs share one changelog
/// write per key: a burst on one key writes its last value once.
///
/// Why per state partition and not per input partition: co-partitioned input topics (an
/// order's placement on `shop.orders`, its payment on `shop.payments`) share partition p's
/// state, and a key's value written for a later input of one topic carries the effects of an
/// earlier input of the other. Were the later one written first, a crash would restore the
/// earlier input's effects without its outputs: replayed, it would find its work done and
/// produce nothing (an order in the ERP whose acceptance never reaches the site).
///
/// Work tied to no input offset (a timer's firing, an operator's command, a table change, a
/// restore's catch-up: `Item.work`) takes its place in the same queue, for the same reason:
/// a release's "sent" written while the hold before it still waits for its exception would,
/// after a kill, restore "sent", and the replayed hold would raise nothing; and a hold's
/// value written after the release would bring the order back to "held".
///
/// A pure value type: events return what to do; the caller produces and stores.
struct InputLedger<Change: Sendable>: Sendable {
    /// What the ledger orders: an input, or work on a state partition tied to no input.
    enum Item: Hashable, Sendable {
        case input(OffsetTracker.Ticket)
        case work(UInt64)
    }

    /// A group of inputs (and work) whose merged state changes are written together.
    struct ChangelogBatch: Sendable {
        /// Identifies the batch in delivery reports.
        let id: UInt64
        /// The state partition, which is the changelog partition.
        let statePartition: Int32
        /// The last change per state key among the batch's items.
        let changes: [String: Change]
        /// The items done once the batch's records are delivered, in the order handled.
        let items: [Item]

        /// The inputs among the items.
        var tickets: [OffsetTracker.Ticket] {
            items.compactMap { if case .input(let ticket) = $0 { ticket } else { nil } }
        }
    }

    fileprivate struct Entry {
        var statePartition: Int32
        var pendingOutputs: Int
        var changes: [(String, Change)]
    }

    fileprivate struct Written {
        var statePartition: Int32
        var remaining: Int
        var items: [Item]
    }

    fileprivate var entries: [Item: Entry] = [:]
    /// Per state partition (the input partition's number, whatever its topic), the admitted
    /// items in the order handled whose changes are not yet written.
    private var queues: [Int32: [Item]] = [:]
    private var batches: [UInt64: Written] = [:]
    private var lastBatchID: UInt64 = 0

    /// Registers a handled input with its number of outputs and its state changes in order.
    /// Returns the changelog batches that became ready (an input with no outputs may be).
    mutating func admit(_ ticket: OffsetTracker.Ticket, outputs: Int, changes: [(String, Change)]) -> [ChangelogBatch] {
        admit(.input(ticket), statePartition: ticket.partition.partition, outputs: outputs, changes: changes)
    }

    /// Registers an item of `statePartition`, behind every item admitted there before.
    mutating func admit(_ item: Item, statePartition: Int32, outputs: Int, changes: [(String, Change)]) -> [ChangelogBatch] {
        entries[item] = Entry(statePartition: statePartition, pendingOutputs: max(outputs, 0), changes: changes)
        queues[statePartition, default: []].append(item)
        return takeReady(statePartition)
    }

    /// One output of `ticket` was delivered (or dead-lettered in its place).
    mutating func outputDelivered(_ ticket: OffsetTracker.Ticket) -> [ChangelogBatch] {
        outputDelivered(.input(ticket))
    }

    /// One output of `item` was delivered (or given up in its place).
    mutating func outputDelivered(_ item: Item) -> [ChangelogBatch] {
        guard let partition = entries[item]?.statePartition else { return [] }
        entries[item]?.pendingOutputs -= 1
        return takeReady(partition)
    }

    /// Every output of `ticket` is settled at once (the input was dead-lettered instead).
    mutating func settleOutputs(_ ticket: OffsetTracker.Ticket, dropChanges: Bool) -> [ChangelogBatch] {
        let item = Item.input(ticket)
        guard let partition = entries[item]?.statePartition else { return [] }
        entries[item]?.pendingOutputs = 0
        if dropChanges { entries[item]?.changes = [] }
        return takeReady(partition)
    }

    /// Registers a batch whose `records` changelog records were produced. A batch with none
    /// is done at once: its items are returned.
    mutating func batchProduced(_ batch: ChangelogBatch, records: Int) -> [Item] {
        guard records > 0 else { return batch.items }
        batches[batch.id] = Written(statePartition: batch.statePartition, remaining: records, items: batch.items)
        return []
    }

    /// One changelog record of a batch was delivered. Returns the items now done.
    mutating func changelogDelivered(batch id: UInt64) -> [Item] {
        guard var batch = batches[id] else { return [] }
        batch.remaining -= 1
        guard batch.remaining <= 0 else {
            batches[id] = batch
            return []
        }
        batches[id] = nil
        return batch.items
    }

    /// Forgets a revoked partition's inputs: they will be consumed again. (The range assignor
    /// revokes every co-partitioned topic's partition p together, so no input of p that
    /// stays depends on one forgotten here.) Work stays until its state partition goes
    /// (`forget(statePartitions:)`).
    mutating func revoke(_ partition: TopicPartition) {
        func isGone(_ item: Item) -> Bool {
            if case .input(let ticket) = item { ticket.partition == partition } else { false }
        }
        let number = partition.partition
        let kept = (queues[number] ?? []).filter { !isGone($0) }
        for item in queues[number] ?? [] where isGone(item) { entries[item] = nil }
        queues[number] = kept.isEmpty ? nil : kept
        batches = batches.compactMapValues { batch in
            var batch = batch
            batch.items.removeAll(where: isGone)
            return batch.items.isEmpty ? nil : batch
        }
    }

    /// Forgets everything of state partitions given up: their next owner restores what was
    /// written and meets the rest again (a timer fires again, an operator's unanswered command
    /// is sent again).
    mutating func forget(statePartitions: Set<Int32>) {
        for number in statePartitions {
            for item in queues[number] ?? [] { entries[item] = nil }
            queues[number] = nil
        }
        batches = batches.filter { !statePartitions.contains($0.value.statePartition) }
    }

    /// Whether a produced batch still waits for deliveries.
    func isPending(batch id: UInt64) -> Bool { batches[id] != nil }

    /// Inputs admitted and not yet in a written batch.
    var pendingInputs: Int { entries.keys.count { if case .input = $0 { true } else { false } } }

    /// Changelog batches produced and not yet delivered.
    var pendingBatches: Int { batches.count }

    private mutating func takeReady(_ number: Int32) -> [ChangelogBatch] {
        guard var queue = queues[number] else { return [] }
        var merged: [String: Change] = [:]
        var items: [Item] = []
        while let head = queue.first, let entry = entries[head], entry.pendingOutputs <= 0 {
            for (key, change) in entry.changes { merged[key] = change }
            items.append(head)
            entries[head] = nil
            queue.removeFirst()
        }
        queues[number] = queue.isEmpty ? nil : queue
        guard !items.isEmpty else { return [] }
        lastBatchID &+= 1
        return [ChangelogBatch(id: lastBatchID, statePartition: number, changes: merged, items: items)]
    }
}

extension InputLedger {
    /// Forgets the state changes of an input still waiting for outputs (one was refused).
    mutating func dropChanges(_ ticket: OffsetTracker.Ticket) {
        entries[.input(ticket)]?.changes = []
    }
}
