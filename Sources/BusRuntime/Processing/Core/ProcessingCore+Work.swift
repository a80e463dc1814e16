import BusKafka

/// Work on a state partition tied to no input offset, on its way.
struct WorkState: Sendable {
    /// A piece of work whose outputs, state or answers are not all delivered yet.
    struct Pending: Sendable {
        var partition: Int32
        /// The keys it changed, kept so that undoing a refused input spares them.
        var keys: Set<String>
        /// Sent once its state is written (an operator's answer).
        var answers: [ProducerRecord]
    }

    var pending: [UInt64: Pending] = [:]
    var nextID: UInt64 = 0
}

/// Work tied to no input offset: a timer's firing, an operator's command, a table change, a
/// restore's catch-up. It is ordered with the inputs in the ledger of its state partition: its
/// outputs are sent at once, its state changes are written once they are delivered and every
/// earlier input or work of the partition is written, and its answers (an operator's) go last,
/// once its state is written. So an answer "done" means durable: a kill before it leaves the
/// command unanswered, and the operator sends it again (commands are idempotent; the same
/// command, redone on the state before it, makes the same outputs with the same ids).
extension ProcessingCore {
    /// Registers work on `partition`: its `outputs` go now, its `changes` follow in the
    /// partition's order, its `answers` after them.
    mutating func admitWork(partition: Int32, outputs: [ProducerRecord], changes: [(String, State?)], answers: [ProducerRecord] = []) -> [Action] {
        let id = work.nextID
        work.nextID += 1
        work.pending[id] = WorkState.Pending(partition: partition, keys: Set(changes.map(\.0)), answers: answers)
        let batches = ledger.admit(.work(id), statePartition: partition, outputs: outputs.count, changes: changes)
        return outputs.map { .produce($0, .work(id), attempt: 1) } + writeChangelog(batches)
    }

    /// One output of work is settled (delivered, or given up in its place).
    mutating func workOutputSettled(_ id: UInt64) -> [Action] {
        writeChangelog(ledger.outputDelivered(.work(id)))
    }

    /// Work whose state is written: its answers go.
    mutating func workDone(_ id: UInt64) -> [Action] {
        guard let done = work.pending.removeValue(forKey: id) else { return [] }
        return done.answers.map { .produce($0, .control, attempt: 1) }
    }

    /// State partitions given up: their work on its way is forgotten (its delivery reports
    /// change nothing), its answers never sent.
    mutating func forgetWork(of partitions: Set<Int32>) {
        work.pending = work.pending.filter { !partitions.contains($0.value.partition) }
        ledger.forget(statePartitions: partitions)
    }

    /// Keys of `partition` that work on its way changed.
    func keysChangedByWork(in partition: Int32) -> Set<String> {
        work.pending.values.reduce(into: Set<String>()) { keys, pending in
            if pending.partition == partition { keys.formUnion(pending.keys) }
        }
    }

    /// Work not yet done over every partition.
    var pendingWork: Int { work.pending.count }
}
