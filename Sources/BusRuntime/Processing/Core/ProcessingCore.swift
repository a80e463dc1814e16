import BusKafka
import BusSchema

/// The processing loop's decisions, as a value: events in, actions out, no I/O.
///
/// It owns what at-least-once needs: the offset tracker (contiguous low-water mark per
/// partition), the input ledger (outputs first, then state changes, in input order), the
/// "latest wins" buffer, pending retries and paused partitions, and the cap on inputs in
/// flight. The driver (`ProcessingLoop`) polls, calls the flow, feeds each outcome here and
/// performs the returned actions; every interleaving can so be tested on actions alone.
struct ProcessingCore<State: Codable & Sendable & Equatable>: Sendable {
    /// What the core needs to know about the worker and its tuning.
    struct Settings: Sendable {
        var worker: String
        var deadLetterTopic: String
        var changelogTopic: String
        var isStateful: Bool
        /// The producer's record limit: dead letters are made to fit it.
        var deadLetterLimit: Int
        var options: ProcessingOptions
    }

    /// An output a handled input asks for.
    struct PlannedOutput: Sendable {
        var record: ProducerRecord
        /// Set for a "latest wins" output: held and replaced by a later one with this key.
        var coalescingKey: CoalescingBuffer<ProducerRecord>.Key?
    }

    /// What the flow made of an input.
    enum Outcome: Sendable {
        /// Outputs and state changes (key, new value, value before) in order.
        case handled([PlannedOutput], changes: [StateChange])
        /// The input cannot be processed: it goes to the dead-letter topic.
        case rejected(RecordCodec<State>.Rejection)
    }

    /// One state key changed by an input, with its value before, to undo it if needed.
    struct StateChange: Sendable, Equatable {
        var key: String
        var value: State?
        var before: State?
    }

    let settings: Settings
    let codec: RecordCodec<State>
    private(set) var tracker = OffsetTracker()
    var ledger = InputLedger<State?>()
    private(set) var coalescer = CoalescingBuffer<ProducerRecord>()
    /// Inputs in flight, kept to dead-letter them if an output is refused.
    private(set) var originals: [OffsetTracker.Ticket: ConsumedRecord] = [:]
    /// The changes of inputs in flight, to undo them if an output is refused.
    private(set) var changesInFlight: [OffsetTracker.Ticket: [StateChange]] = [:]
    private(set) var retries: [PendingRetry] = []
    private(set) var pausedForRetry: Set<TopicPartition> = []
    private(set) var pausedForBackpressure: Set<TopicPartition> = []
    private(set) var assignment: Set<TopicPartition> = []
    private(set) var bytesInFlight = 0
    /// Timers and partition clocks.
    var time = TimerState()
    /// Work tied to no input (firings, commands, table changes) on its way.
    var work = WorkState()
    private var storedSinceCommit = false
    private var nextCommit: ContinuousClock.Instant?

    init(settings: Settings, codec: RecordCodec<State>) {
        self.settings = settings
        self.codec = codec
    }

    // MARK: Inputs

    /// A record was read. Returns its ticket when the flow should handle it, nil when it is
    /// skipped (already seen); then any actions (a skip report, backpressure).
    mutating func received(_ record: ConsumedRecord) -> (ticket: OffsetTracker.Ticket?, actions: [Action]) {
        guard case .tracked(let ticket) = tracker.register(record.offset, in: record.topicPartition) else {
            return (nil, [.report(.outOfOrder(record.topicPartition, offset: record.offset))])
        }
        originals[ticket] = record
        bytesInFlight += Self.size(of: record)
        return (ticket, applyBackpressure())
    }

    /// The flow's outcome for an input received before.
    mutating func handled(_ ticket: OffsetTracker.Ticket, _ outcome: Outcome, now: ContinuousClock.Instant) -> [Action] {
        guard let record = originals[ticket] else { return [] }
        // The injected fault: this input counts as done before anything of it is acknowledged.
        let early: [Action] = settings.options.storesOffsetsBeforeAcknowledgement ? storeEarly(record) : []
        switch outcome {
        case .rejected(let rejection):
            return early + deadLetter(ticket, record, rejection, attempts: 1)
        case .handled(let outputs, let changes):
            if settings.isStateful, !changes.isEmpty { changesInFlight[ticket] = changes }
            var actions: [Action] = []
            let batches = ledger.admit(ticket, outputs: outputs.count, changes: changes.map { ($0.key, $0.value) })
            for output in outputs {
                if let key = output.coalescingKey {
                    coalescer.add(output.record, key: key, ticket: ticket, now: now)
                } else {
                    actions.append(.produce(output.record, .outputs([ticket]), attempt: 1))
                }
            }
            return early + actions + writeChangelog(batches)
        }
    }

    /// Fault injection (`ProcessingOptions.storesOffsetsBeforeAcknowledgement`): the offset
    /// after this input, stored at once, as a broken runtime would.
    private mutating func storeEarly(_ record: ConsumedRecord) -> [Action] {
        storedSinceCommit = true
        return [.storeOffsets([record.topicPartition: record.offset + 1])]
    }

    /// Outputs of an operator's request, tied to no input.
    func controlOutputs(_ records: [ProducerRecord]) -> [Action] {
        records.map { .produce($0, .control, attempt: 1) }
    }

    /// Time passed: held outputs and retries that are due are sent, partitions no longer
    /// waiting are resumed, stored offsets are committed at most every `commitInterval`.
    mutating func tick(now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = []
        for pending in coalescer.takeDue(now: now, linger: settings.options.coalescingLinger, maxKeys: settings.options.coalescingMaxKeys) {
            actions.append(.produce(pending.record, .outputs(pending.tickets), attempt: 1))
        }
        if !retries.isEmpty {
            let due = retries.filter { $0.due <= now }
            retries.removeAll { $0.due <= now }
            actions += due.map { .produce($0.record, $0.purpose, attempt: $0.attempt) }
            actions += resumeIdle()
        }
        if storedSinceCommit, now >= (nextCommit ?? now) {
            nextCommit = now + settings.options.commitInterval
            storedSinceCommit = false
            actions.append(.commit(wait: false))
        }
        return actions
    }

    /// How long the driver may wait for a record before the next tick is useful.
    func pollTimeout(now: ContinuousClock.Instant) -> Duration {
        var timeout: Duration = tracker.totalInFlight > 0 || !retries.isEmpty ? .milliseconds(5) : .milliseconds(100)
        if let due = coalescer.nextDue(linger: settings.options.coalescingLinger) {
            timeout = min(timeout, max(due - now, .zero))
        }
        return timeout
    }

    // MARK: Rebalances and stop

    /// Partitions were assigned. A partition paused before it was last revoked may still be
    /// paused in the client (librdkafka keeps a partition's pause flag across assignments):
    /// it is resumed, unless the cap on inputs in flight holds every partition.
    mutating func assigned(_ partitions: [TopicPartition]) -> [Action] {
        assignment.formUnion(partitions)
        if !pausedForBackpressure.isEmpty {
            pausedForBackpressure.formUnion(partitions)
            return [.pause(partitions.sorted())]
        }
        return partitions.isEmpty ? [] : [.resume(partitions.sorted())]
    }

    /// Partitions are about to be given up (or the worker stops): everything held for them
    /// is sent now, retries included, without waiting for their delay.
    mutating func draining() -> [Action] {
        var actions = coalescer.takeAll().map { Action.produce($0.record, .outputs($0.tickets), attempt: 1) }
        actions += retries.map { .produce($0.record, $0.purpose, attempt: $0.attempt) }
        retries.removeAll()
        return actions
    }

    /// Inputs of `partitions` still in flight, and work on their state partitions not yet
    /// done: a drain waits until none is.
    func inFlight(of partitions: [TopicPartition]) -> Int {
        let numbers = Set(partitions.map(\.partition))
        return partitions.reduce(0) { $0 + tracker.inFlightCount(of: $1) } + work.pending.values.count { numbers.contains($0.partition) }
    }

    /// The offset after the last input of `partition` handled here, if any since its assignment.
    func position(of partition: TopicPartition) -> Int64? { tracker.position(of: partition) }

    /// Inputs in flight over every partition.
    var totalInFlight: Int { tracker.totalInFlight }

    /// Partitions were revoked (after their drain): stored offsets are committed, then
    /// everything known of them is dropped; their next owner reads them again from there.
    mutating func revoked(_ partitions: [TopicPartition]) -> [Action] {
        var actions: [Action] = [.commit(wait: true)]
        storedSinceCommit = false
        for partition in partitions {
            _ = tracker.revoke(partition)
            ledger.revoke(partition)
            pausedForRetry.remove(partition)
            pausedForBackpressure.remove(partition)
            assignment.remove(partition)
        }
        let gone = Set(partitions)
        for (ticket, record) in originals where gone.contains(ticket.partition) {
            bytesInFlight -= Self.size(of: record)
            originals[ticket] = nil
            changesInFlight[ticket] = nil
        }
        retries = retries.filter { self.partitions(of: $0.purpose).isDisjoint(with: gone) }
        let statePartitionsGone = Set(partitions.map(\.partition)).subtracting(assignment.map(\.partition))
        forgetTimers(of: statePartitionsGone)
        forgetWork(of: statePartitionsGone)
        actions += releaseBackpressure()
        return actions
    }

    /// The worker stops after its drain: the last commit.
    mutating func stopped() -> [Action] {
        storedSinceCommit = false
        return [.commit(wait: true)]
    }

    /// State partitions still holding inputs in flight after `partitions` are revoked: the
    /// others' stores can be dropped.
    var trackedStatePartitions: Set<Int32> { Set(tracker.trackedPartitions.map(\.partition)) }

    // MARK: Shared steps

    /// The dead letter of an input, counted as its one output.
    mutating func deadLetter(_ ticket: OffsetTracker.Ticket, _ record: ConsumedRecord,
                             _ rejection: RecordCodec<State>.Rejection, attempts: Int) -> [Action] {
        let letter = DeadLetter.record(
            for: record, topic: settings.deadLetterTopic, worker: settings.worker, code: rejection.code,
            reason: rejection.reason, field: rejection.field, attempts: attempts, details: rejection.details,
            maxBytes: settings.deadLetterLimit)
        var actions: [Action] = [.report(.deadLettered(ticket, code: rejection.code, field: rejection.field))]
        if letter.headers.contains(where: { [DeadLetterHeader.valueTruncated, DeadLetterHeader.valueDropped].contains($0.key) }) {
            actions.append(.report(.deadLetterTruncated(ticket, bytes: record.value?.count ?? 0)))
        }
        actions += writeChangelog(ledger.admit(ticket, outputs: 1, changes: []))
        actions.append(.produce(letter, .deadLetter(ticket), attempt: 1))
        return actions
    }

    /// Changelog records for batches whose items are ready; a batch with no record (a
    /// stateless flow, no change) completes its items at once.
    mutating func writeChangelog(_ batches: [InputLedger<State?>.ChangelogBatch]) -> [Action] {
        var actions: [Action] = []
        for batch in batches {
            for ticket in batch.tickets { changesInFlight[ticket] = nil }
            var records: [ProducerRecord] = []
            if settings.isStateful {
                for (key, value) in batch.changes.sorted(by: { $0.key < $1.key }) {
                    do {
                        records.append(codec.changelogRecord(
                            topic: settings.changelogTopic, partition: batch.statePartition, key: key, value: try codec.encodeState(value)))
                    } catch {
                        // A state the encoder refuses cannot be made durable: stop rather than
                        // commit inputs whose state would be lost on the next restart.
                        return actions + [.stop(RuntimeError(
                            .stateUnencodable, "a state value could not be encoded (\(type(of: error))); the worker stops rather than lose it",
                            context: ["topic": settings.changelogTopic, "partition": String(batch.statePartition)]))]
                    }
                }
            }
            let done = ledger.batchProduced(batch, records: records.count)
            actions += records.map { .produce($0, .changelog(batch: batch.id, partition: batch.statePartition), attempt: 1) }
            actions += finish(done)
        }
        return actions
    }

    /// Items whose state is written: inputs complete, work sends its answers.
    mutating func finish(_ items: [InputLedger<State?>.Item]) -> [Action] {
        var tickets: [OffsetTracker.Ticket] = []
        var actions: [Action] = []
        for item in items {
            switch item {
            case .input(let ticket): tickets.append(ticket)
            case .work(let id): actions += workDone(id)
            }
        }
        return complete(tickets) + actions
    }

    /// Inputs are done: offsets advance as far as every earlier input is done too.
    mutating func complete(_ tickets: [OffsetTracker.Ticket]) -> [Action] {
        var offsets: [TopicPartition: Int64] = [:]
        for ticket in tickets {
            if let record = originals.removeValue(forKey: ticket) { bytesInFlight -= Self.size(of: record) }
            changesInFlight[ticket] = nil
            if case .advanced(let next) = tracker.markDone(ticket) { offsets[ticket.partition] = next }
        }
        guard !offsets.isEmpty else { return [] }
        // Under the injected fault the offsets were stored when the inputs were handled;
        // storing the low-water mark now would only move them back.
        guard !settings.options.storesOffsetsBeforeAcknowledgement else { return releaseBackpressure() }
        storedSinceCommit = true
        return [.storeOffsets(offsets)] + releaseBackpressure()
    }

    func tickets(of purpose: DeliveryPurpose) -> [OffsetTracker.Ticket] {
        switch purpose {
        case .outputs(let tickets): tickets
        case .deadLetter(let ticket): [ticket]
        case .changelog, .control, .work: []
        }
    }

    /// The input partitions a delivery holds back: an output's inputs, a changelog batch's
    /// state partition (every input topic's). A retried delivery pauses them, so later inputs
    /// cannot overtake it.
    func partitions(of purpose: DeliveryPurpose) -> Set<TopicPartition> {
        if case .changelog(_, let number) = purpose { return assignment.filter { $0.partition == number } }
        return Set(tickets(of: purpose).map(\.partition))
    }

    mutating func scheduleRetry(_ retry: PendingRetry) -> [Action] {
        retries.append(retry)
        let held = partitions(of: retry.purpose).intersection(assignment).subtracting(pausedForRetry)
        pausedForRetry.formUnion(held)
        let newlyPaused = held.subtracting(pausedForBackpressure)
        return newlyPaused.isEmpty ? [] : [.pause(newlyPaused.sorted())]
    }

    mutating func dropChanges(of ticket: OffsetTracker.Ticket) -> [Action] {
        guard let changes = changesInFlight.removeValue(forKey: ticket) else { return [] }
        ledger.dropChanges(ticket)
        // Undo in memory only what no other input in flight changed since: a later change
        // already built on this one and is written in its turn.
        let number = ticket.partition.partition
        let touchedLater = Set(changesInFlight.filter { $0.key.partition.partition == number }.values.flatMap { $0.map(\.key) })
            .union(keysChangedByWork(in: number))
        return changes.filter { !touchedLater.contains($0.key) }.map { .setState(partition: number, key: $0.key, value: $0.before) }
    }

    // MARK: Backpressure

    /// Pauses every assigned partition once inputs (or their bytes) in flight reach the cap:
    /// outputs that cannot be delivered then hold the reading, not memory.
    private mutating func applyBackpressure() -> [Action] {
        guard pausedForBackpressure.isEmpty, let reason = overCap() else { return [] }
        pausedForBackpressure = assignment
        let newlyPaused = assignment.subtracting(pausedForRetry)
        return [.report(.backpressure(reason: reason))] + (newlyPaused.isEmpty ? [] : [.pause(newlyPaused.sorted())])
    }

    /// Resumes reading once inputs in flight are back under half the cap.
    private mutating func releaseBackpressure() -> [Action] {
        guard !pausedForBackpressure.isEmpty,
              tracker.totalInFlight <= settings.options.maxInputsInFlight / 2,
              bytesInFlight <= settings.options.maxBytesInFlight / 2 else { return [] }
        let resumable = pausedForBackpressure.intersection(assignment).subtracting(pausedForRetry)
        pausedForBackpressure = []
        return [.report(.backpressure(reason: nil))] + (resumable.isEmpty ? [] : [.resume(resumable.sorted())])
    }

    private func overCap() -> String? {
        if tracker.totalInFlight >= settings.options.maxInputsInFlight {
            return "\(tracker.totalInFlight) inputs in flight, the cap is \(settings.options.maxInputsInFlight): outputs are not being delivered"
        }
        if bytesInFlight >= settings.options.maxBytesInFlight {
            return "\(bytesInFlight) bytes of inputs in flight, the cap is \(settings.options.maxBytesInFlight): outputs are not being delivered"
        }
        return nil
    }

    /// Resumes partitions paused for a retry once none of their deliveries awaits one.
    private mutating func resumeIdle() -> [Action] {
        guard !pausedForRetry.isEmpty else { return [] }
        let waiting = Set(retries.flatMap { partitions(of: $0.purpose) })
        let resumable = pausedForRetry.subtracting(waiting)
        guard !resumable.isEmpty else { return [] }
        pausedForRetry.subtract(resumable)
        let toResume = resumable.subtracting(pausedForBackpressure).intersection(assignment)
        return toResume.isEmpty ? [] : [.resume(toResume.sorted())]
    }

    private static func size(of record: ConsumedRecord) -> Int {
        (record.key?.count ?? 0) + (record.value?.count ?? 0)
    }

    typealias Action = ProcessingAction<State>
}
