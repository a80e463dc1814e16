import BusKafka
import BusSchema
import Foundation
import Synchronization

/// Runs one flow over its input partitions: at-least-once, in order per partition.
///
/// Threading: everything here runs on the loop's thread: `run` and the rebalance handler,
/// which librdkafka calls inside `poll` on that same thread. Delivery reports arrive on the
/// producer's thread and only append to `deliveries`; the loop drains them between polls.
/// So the offset tracker, the ledger and the state stores need no locks.
final class ProcessingLoop<F: Flow>: @unchecked Sendable {
    let flow: F
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let codec: RecordCodec<F.State>
    var placement: KeyPlacement
    let tables: any TableLookup
    let restorer: StateRestorer<F.State>?
    let logger: Logger
    let metrics: WorkerMetrics
    let options: ProcessingOptions
    let status: WorkerStatus
    let control: ControlChannel?
    let snapshots: StateSnapshots<F.State>

    var tracker = OffsetTracker()
    /// State changes travel as values and are encoded only when written: a burst on one key
    /// is merged first and encoded once.
    var ledger = InputLedger<F.State?>()
    var coalescer = CoalescingBuffer<ProducerRecord>()
    /// State per partition number: input topics are co-partitioned, so partition N of every
    /// input shares state partition N (changelog partition N).
    var stores: [Int32: StateStore<F.State>] = [:]
    /// Inputs in flight, kept to dead-letter them if an output is refused.
    var originals: [OffsetTracker.Ticket: ConsumedRecord] = [:]
    var retries: [PendingRetry] = []
    var pausedForRetry: Set<TopicPartition> = []
    let deliveries = DeliveryInbox()
    var fatal: KafkaError?
    private var nextGaugeUpdate = ContinuousClock.now
    private var nextCommit = ContinuousClock.now
    private var nextControlCheck = ContinuousClock.now
    /// Offsets were stored since the last commit.
    var storedSinceCommit = false

    init(
        flow: F, consumer: KafkaConsumer, producer: KafkaProducer, registry: MessageRegistry,
        tables: any TableLookup, restorer: StateRestorer<F.State>?, logger: Logger,
        metrics: WorkerMetrics, options: ProcessingOptions, status: WorkerStatus, control: ControlChannel?,
        snapshots: StateSnapshots<F.State>
    ) {
        self.control = control
        self.snapshots = snapshots
        self.flow = flow
        self.consumer = consumer
        self.producer = producer
        self.codec = RecordCodec(worker: flow.name, registry: registry)
        self.placement = KeyPlacement(flow: flow, misplaced: metrics.misplaced) { [consumer] in consumer.partitionCount(of: $0) }
        self.tables = tables
        self.restorer = restorer
        self.logger = logger
        self.metrics = metrics
        self.options = options
        self.status = status
    }

    /// Subscribes and processes until `shouldStop` says so, then drains, commits and leaves
    /// the group, unless `abandoned` says to stop as a crash would (no drain, no commit).
    /// Throws the fatal client error that stopped it, if any.
    func run(until shouldStop: () -> Bool, abandoned: @escaping @Sendable () -> Bool) throws(KafkaError) {
        consumer.onRebalance { [unowned self] event in
            guard !abandoned() else { return }
            self.rebalanced(event)
        }
        try consumer.subscribe(flow.inputs)
        logger.info("loop_started", .count(flow.inputs.count))
        while !shouldStop(), fatal == nil {
            step()
        }
        if let fatal {
            logger.error("fatal_client_error", .errorCode(fatal.name))
            consumer.close()
            throw fatal
        }
        if abandoned() {
            consumer.close()
            producer.close(timeout: .zero)
            logger.warn("loop_abandoned")
            return
        }
        status.setStopping()
        drain(consumer.assignedPartitionsOrEmpty)
        commit()
        snapshots.recordFinal(stores)
        consumer.close()
        producer.close(timeout: options.drainTimeout)
        logger.info("loop_stopped")
    }

    /// One turn: settle deliveries, send what is due, read the next record.
    func step() {
        status.beat()
        settleDeliveries()
        sendDue(now: .now)
        updateGaugesIfDue()
        commitIfDue()
        answerControlIfDue()
        if let fatalError = producer.fatalError { fatal = fatalError; return }
        switch consumer.poll(timeout: pollTimeout()) {
        case .record(let record)?:
            process(record)
        case .error(let error)?:
            if error.isFatal { fatal = error } else { logger.warn("consumer_error", .errorCode(error.name)) }
        case .partitionEnd?, nil:
            break
        }
    }

    /// Waits briefly when work is pending so deliveries and held outputs are seen soon;
    /// otherwise long enough not to spin. A record arriving ends the wait at once.
    private func pollTimeout() -> Duration {
        var timeout: Duration = tracker.totalInFlight > 0 || !retries.isEmpty ? .milliseconds(5) : .milliseconds(100)
        if let due = coalescer.nextDue(linger: options.coalescingLinger) {
            timeout = min(timeout, max(due - .now, .zero))
        }
        return timeout
    }

    // MARK: Inputs

    func process(_ record: ConsumedRecord) {
        metrics.consumed.increment(labels: ["topic": record.topic])
        metrics.inputs.read(record)
        guard case .tracked(let ticket) = tracker.register(record.offset, in: record.topicPartition) else {
            logger.warn("input_out_of_order", .topic(record.topic), .partition(record.partition), .offset(record.offset), .trace(record.trace))
            return
        }
        originals[ticket] = record
        let started = ContinuousClock.now
        let input: FlowInput
        do {
            input = try placement.input(from: record, codec: codec)
        } catch {
            deadLetter(ticket, record, error)
            return
        }
        let store = stores[record.partition] ?? StateStore()
        stores[record.partition] = store
        var state = FlowState(store: store)
        let outputs: [FlowOutput]
        do {
            outputs = try flow.handle(input, state: &state, tables: tables)
        } catch let rejection as FlowRejection {
            deadLetter(ticket, record, .init(rejection))
            return
        } catch let error as SchemaError {
            deadLetter(ticket, record, .init(error))
            return
        } catch {
            // Not a rule saying no: a bug. The type name says which without risking a payload
            // in the reason.
            deadLetter(ticket, record, .init(code: "handler_error", reason: "the flow failed with \(type(of: error))"))
            return
        }
        store.apply(state.changes)
        let changes = state.changes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        metrics.processingSeconds.observe(ContinuousClock.now - started)

        let records = outputs.enumerated().map { codec.record(for: $0.element, position: $0.offset, input: input) }
        let batches = ledger.admit(ticket, outputs: records.count, changes: changes)
        for (output, outputRecord) in zip(outputs, records) {
            metrics.inputs.published(output)
            switch output.delivery {
            case .immediate:
                send(outputRecord, for: .outputs([ticket]))
            case .coalesced:
                coalescer.add(outputRecord, key: .init(topic: outputRecord.topic, key: output.key ?? input.key), ticket: ticket, now: started)
            }
        }
        writeChangelog(batches)
    }

    func deadLetter(_ ticket: OffsetTracker.Ticket, _ record: ConsumedRecord, _ rejection: RecordCodec<F.State>.Rejection, attempts: Int = 1) {
        metrics.deadLettered.increment(labels: ["reason": rejection.code])
        logger.warn("dead_letter", .topic(record.topic), .partition(record.partition), .offset(record.offset),
                    .reason(rejection.code), .field(rejection.field ?? ""), .trace(record.trace))
        let letter = DeadLetter.record(
            for: record, topic: flow.deadLetterTopic, worker: flow.name, code: rejection.code,
            reason: rejection.reason, field: rejection.field, attempts: attempts, details: rejection.details)
        writeChangelog(ledger.admit(ticket, outputs: 1, changes: []))
        send(letter, for: .deadLetter(ticket))
    }

    // MARK: Outputs

    func send(_ record: ProducerRecord, for purpose: DeliveryPurpose, attempt: Int = 1) {
        producer.enqueue(record) { [deliveries] result in
            deliveries.post(DeliveryEvent(purpose: purpose, record: record, attempt: attempt, result: result))
        }
    }

    func writeChangelog(_ batches: [InputLedger<F.State?>.ChangelogBatch]) {
        for batch in batches {
            var records: [ProducerRecord] = []
            if flow.isStateful {
                for (key, value) in batch.changes.sorted(by: { $0.key < $1.key }) {
                    do {
                        let encoded = try codec.encodeState(value)
                        records.append(codec.changelogRecord(topic: flow.changelogTopic, partition: batch.partition.partition, key: key, value: encoded))
                    } catch {
                        // A state the encoder refuses cannot be made durable: stop rather than
                        // commit inputs whose state would be lost on the next restart.
                        logger.error("state_unencodable", .topic(flow.changelogTopic), .reason(String(describing: type(of: error))))
                        fatal = KafkaError(code: -1, name: "_STATE_ENCODING", message: "a state value could not be encoded",
                                           isRetriable: false, isFatal: true)
                        return
                    }
                }
            }
            let done = ledger.batchProduced(batch, records: records.count)
            for record in records { send(record, for: .changelog(batch: batch.id)) }
            done.forEach(complete)
        }
    }

    /// Sends held outputs whose time has come and retries whose delay has passed.
    func sendDue(now: ContinuousClock.Instant) {
        for pending in coalescer.takeDue(now: now, linger: options.coalescingLinger, maxKeys: options.coalescingMaxKeys) {
            send(pending.record, for: .outputs(pending.tickets))
        }
        guard !retries.isEmpty else { return }
        let due = retries.filter { $0.due <= now }
        retries.removeAll { $0.due <= now }
        for retry in due { send(retry.record, for: retry.purpose, attempt: retry.attempt) }
        resumeAfterRetries()
    }

    /// An input is done: its offset may be stored once every earlier one is.
    func complete(_ ticket: OffsetTracker.Ticket) {
        originals[ticket] = nil
        guard case .advanced(let next) = tracker.markDone(ticket) else { return }
        do {
            try consumer.store([ticket.partition: next])
            storedSinceCommit = true
        } catch {
            // The partition was revoked meanwhile: its next owner reads these inputs again.
            logger.debug("offset_not_stored", .topic(ticket.partition.topic), .partition(ticket.partition.partition), .errorCode(error.name))
        }
    }

    /// Looks for operators' requests a few times a second, not on every record: the hot
    /// path stays a single poll.
    private func answerControlIfDue() {
        let now = ContinuousClock.now
        guard let control, now >= nextControlCheck else { return }
        nextControlCheck = now + .milliseconds(200)
        while let (request, input) = control.next() { answer(request, input: input) }
    }

    /// Runs a control request over every partition this instance owns.
    private func answer(_ request: FlowControl, input: FlowInput) {
        logger.info("control_request", .ceID(input.envelope.id), .count(stores.count))
        for (number, store) in stores.sorted(by: { $0.key < $1.key }) {
            var state = FlowState(store: store)
            let outputs = flow.control(request, state: &state, tables: tables)
            store.apply(state.changes)
            for (key, value) in state.changes.sorted(by: { $0.key < $1.key }) where flow.isStateful {
                guard let encoded = try? codec.encodeState(value) else { continue }
                send(codec.changelogRecord(topic: flow.changelogTopic, partition: number, key: key, value: encoded), for: .control)
            }
            // Ids stay deterministic per request and partition: a million outputs apart.
            for (index, output) in outputs.enumerated() {
                send(codec.record(for: output, position: Int(number) * 1_000_000 + index, input: input), for: .control)
            }
        }
    }

    /// Commits stored offsets in the background at most every `commitInterval`.
    private func commitIfDue() {
        let now = ContinuousClock.now
        guard storedSinceCommit, now >= nextCommit else { return }
        nextCommit = now + options.commitInterval
        storedSinceCommit = false
        consumer.commitAsync()
    }

    /// Commits stored offsets and waits for the answer.
    func commit() {
        storedSinceCommit = false
        do {
            try consumer.commit()
        } catch {
            metrics.retries.increment(labels: ["operation": "commit"])
            logger.warn("commit_failed", .errorCode(error.name))
        }
    }

    private func updateGaugesIfDue() {
        let now = ContinuousClock.now
        guard now >= nextGaugeUpdate else { return }
        nextGaugeUpdate = now + options.gaugeInterval
        for (partition, lag) in consumer.lag(consumer.assignedPartitionsOrEmpty) {
            metrics.lag.set(Double(lag), labels: ["topic": partition.topic, "partition": String(partition.partition)])
        }
        metrics.stateKeys.set(Double(stores.values.reduce(0) { $0 + $1.count }))
        metrics.inFlight.set(Double(tracker.totalInFlight))
    }
}

extension KafkaConsumer {
    /// The current assignment, or none when it cannot be read.
    var assignedPartitionsOrEmpty: [TopicPartition] { (try? assignment()) ?? [] }
}
