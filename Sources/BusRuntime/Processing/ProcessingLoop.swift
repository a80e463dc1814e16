import BusKafka
import BusSchema
import Foundation
import Synchronization

/// Runs one flow over its input partitions: at-least-once, in order per partition.
///
/// A thin driver around `ProcessingCore`, which makes every decision: this class polls,
/// calls the flow, feeds the outcomes and delivery reports to the core and performs the
/// actions it returns (produce, store, pause, resume, commit, stop).
///
/// Threading: everything here runs on the loop's thread: `run` and the rebalance handler,
/// which librdkafka calls inside `poll` on that same thread. Delivery reports arrive on the
/// producer's thread and only append to `deliveries`; the loop drains them between polls.
/// So the core and the state stores need no locks. With `ProcessingOptions.workerThreads`
/// above 1, the decoding of a batch read ahead (pure, see `ProcessingLoop+ReadAhead`) runs on
/// several threads, and the loop's thread waits for it before handling the batch's records one
/// by one in the order read: everything else stays on the loop's thread.
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

    var core: ProcessingCore<F.State>
    /// State per partition number: input topics are co-partitioned, so partition N of every
    /// input shares state partition N (changelog partition N).
    var stores: [Int32: StateStore<F.State>] = [:]
    let deliveries = DeliveryInbox()
    var fatal: RuntimeError?
    /// Set when the worker stops: every wait of the stop (drain, the revoke inside the
    /// consumer's close, the producer's close) shares this one deadline.
    var stopDeadline: ContinuousClock.Instant?
    private var nextGaugeUpdate = ContinuousClock.now
    private var nextControlCheck = ContinuousClock.now
    /// Where the loop's time goes; published with the gauges.
    var phases = LoopPhases()
    /// The state bytes gauge's estimate per partition.
    var stateSizes: [Int32: StateSizeEstimate] = [:]
    /// Restores under way, the input partitions waiting for each state partition, and the
    /// first offset read of a waiting partition (read again once its state is in); see
    /// `ProcessingLoop+Restore`.
    var restoreJobs: [RestoreJob<F.State>] = []
    var waitingForRestore: [Int32: [TopicPartition]] = [:]
    var heldBack: [TopicPartition: Int64] = [:]
    /// Operators' commands waiting for their partition to handle what it held when they came.
    var commandGate = CommandGate<FlowInput>()
    /// The erasures (site account ids) applied to every partition owned; see `ProcessingLoop+Erasure`.
    var erased: [String: ErasureNotice] = [:]
    /// How far the flow was told of the tables' records; see `ProcessingLoop+Tables`.
    var tableCursor: UInt64 = 0
    /// The flow's live queries by request topic; see `ProcessingLoop+Requests`.
    let requestRoutes: [String: RequestRoute]
    /// When each request partition was last assigned here: a request appended before it and
    /// read past its deadline may have been answered by the partition's previous owner.
    var requestPartitionsSince: [TopicPartition: Date] = [:]
    /// The partition count of the topic the state is partitioned by, once known.
    var statePartitionCount: Int32?
    /// Records read ahead and decoded on `decodeStage`'s threads, waiting for their turn.
    var readAhead = ReadAhead<Result<FlowInput, RecordCodec<F.State>.Rejection>>()
    let decodeStage: ParallelMap

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
        let codec = RecordCodec<F.State>(worker: flow.name, registry: registry)
        self.codec = codec
        self.placement = KeyPlacement(flow: flow, misplaced: metrics.misplaced) { [consumer] in consumer.partitionCount(of: $0) }
        self.tables = tables
        // Records read before the loop started are in the tables every input is judged against.
        tableCursor = (tables as? GlobalTables)?.feedCursor ?? 0
        self.restorer = restorer
        self.logger = logger
        self.metrics = metrics
        self.options = options
        self.status = status
        decodeStage = ParallelMap(threads: options.workerThreads)
        requestRoutes = Dictionary(flow.requests.map { ($0.request.topic, $0) }, uniquingKeysWith: { first, _ in first })
        core = ProcessingCore(settings: .init(
            worker: flow.name, deadLetterTopic: flow.deadLetterTopic, changelogTopic: flow.changelogTopic,
            isStateful: flow.isStateful, deadLetterLimit: producer.maxMessageBytes, options: options), codec: codec)
    }

    /// Subscribes and processes until `shouldStop` says so, then drains, commits and leaves
    /// the group, unless `abandoned` says to stop as a crash would (no drain, no commit).
    /// Throws the error that stopped it, if any.
    func run(until shouldStop: @escaping () -> Bool, abandoned: @escaping @Sendable () -> Bool) throws(RuntimeError) {
        consumer.onRebalance { [unowned self] event in
            guard !abandoned() else { return }
            self.rebalanced(event)
        }
        do {
            try consumer.subscribe(flow.inputs)
        } catch {
            throw RuntimeError(.fatalClientError, "cannot subscribe to the inputs: \(error.message)", context: ["error": error.name])
        }
        logger.info("loop_started", .count(flow.inputs.count))
        while !shouldStop(), fatal == nil {
            step()
        }
        cancelRestores(of: nil)
        if let fatal {
            logger.error("worker_stopping_on_error", .errorCode(fatal.code.rawValue))
            consumer.close()
            throw fatal
        }
        if abandoned() {
            // As a killed process: queued outputs are lost before they leave, nothing is
            // committed, and the group learns of it only from the session timeout.
            producer.abandon()
            consumer.abandon()
            logger.warn("loop_abandoned")
            return
        }
        status.setStopping()
        // Read ahead and not handled: not committed either, so the next owner reads them.
        readAhead = ReadAhead()
        let deadline = ContinuousClock.now + options.drainTimeout
        stopDeadline = deadline
        drain(consumer.assignedPartitionsOrEmpty)
        perform(core.stopped())
        snapshots.recordFinal(stores)
        consumer.close()
        // What is still queued now cannot be acknowledged in time: it is purged, and its
        // inputs, not committed, are read again by the partitions' next owner.
        producer.close(timeout: max(deadline - .now, .zero))
        logger.info("loop_stopped")
    }

    /// One turn: settle deliveries, send what is due, read the next record.
    func step() {
        var mark = ContinuousClock.now
        status.beat()
        finishRestores()
        settleDeliveries()
        phases.close(.deliveries, since: &mark)
        perform(core.tick(now: mark))
        perform(core.dueTimers(now: mark, wallNow: Instant(Date())))
        updateGaugesIfDue()
        answerControlIfDue()
        phases.close(.housekeeping, since: &mark)
        if let fatalError = producer.fatalError { fatal = .fatalClient(fatalError); return }
        defer { phases.close(.handle, since: &mark) }
        if let ahead = readAhead.next() { return process(ahead.record, decoded: ahead.decoded) }
        let event = consumer.poll(timeout: core.pollTimeout(now: mark))
        if event == nil { phases.countEmptyPoll() }
        phases.close(event == nil ? .pollWait : .poll, since: &mark)
        switch event {
        case .record(let record)?:
            guard decodeStage.threads > 1 else { return process(record) }
            readAhead.append(record)
            readMore()
            phases.close(.readAhead, since: &mark)
            if let ahead = readAhead.next() { process(ahead.record, decoded: ahead.decoded) }
        case .error(let error)?:
            consumerError(error)
        case .partitionEnd?, nil:
            break
        }
    }

    func consumerError(_ error: KafkaError) {
        if error.isFatal { fatal = .fatalClient(error) } else { logger.warn("consumer_error", .errorCode(error.name)) }
    }

    /// Feeds the delivery reports received since the last turn to the core.
    func settleDeliveries() {
        for event in deliveries.takeAll() {
            perform(core.delivered(event, now: .now))
            if fatal != nil { return }
        }
    }

    // MARK: Inputs

    /// Handles one record; `decoded` is what the decode stage made of it ahead of its turn.
    func process(_ record: ConsumedRecord, decoded: Result<FlowInput, RecordCodec<F.State>.Rejection>? = nil) {
        guard !holdsBack(record) else { return }
        metrics.consumed.increment(labels: ["topic": record.topic])
        metrics.inputs.read(record)
        let (ticket, actions) = core.received(record)
        perform(actions)
        guard let ticket else { return }
        let started = ContinuousClock.now
        perform(core.handled(ticket, outcome(of: record, decoded: decoded), now: started))
        metrics.processingSeconds.observe(ContinuousClock.now - started)
    }

    /// Decodes the record and runs the flow with the state of the record's partition (a
    /// tombstone goes to `Flow.deleted` when the flow reads deletions).
    private func outcome(of record: ConsumedRecord, decoded: Result<FlowInput, RecordCodec<F.State>.Rejection>?) -> ProcessingCore<F.State>.Outcome {
        if let route = requestRoutes[record.topic] { return requestOutcome(of: record, route: route, decoded: decoded) }
        let cause: Envelope
        let call: (inout FlowState<F.State>) throws -> [FlowOutput]
        if record.value == nil, flow.readsDeletions, let key = record.keyString {
            let deletion = codec.deletionEnvelope(of: record)
            cause = deletion
            call = { [flow, tables] state in try flow.deleted(key: key, topic: record.topic, cause: deletion, state: &state, tables: tables) }
        } else {
            var input: FlowInput
            do {
                input = try placement.input(from: record, codec: codec, decoded: decoded)
            } catch {
                return .rejected(error)
            }
            input.receivedAt = Instant(Date())
            cause = input.envelope
            call = { [flow, tables] state in try flow.handle(input, state: &state, tables: tables) }
        }
        let store = stores[record.partition] ?? StateStore()
        stores[record.partition] = store
        var state = FlowState(store: store, clock: core.time.clocks[record.partition]?.now)
        let outputs: [FlowOutput]
        do {
            outputs = try call(&state)
        } catch {
            return .rejected(Self.rejection(for: error))
        }
        countEvents(state.events)
        let changes = state.changes.sorted { $0.key < $1.key }.map { key, value in
            ProcessingCore<F.State>.StateChange(key: key, value: value, before: store[key])
        }
        store.apply(state.changes)
        noteTime(cause.time, partition: record.partition, changes: state.changes)
        let planned = outputs.enumerated().map { position, output in
            metrics.inputs.published(output)
            let outputRecord = codec.record(for: output, position: position, cause: cause, key: record.keyString)
            var key: CoalescingBuffer<ProducerRecord>.Key?
            if case .coalesced = output.delivery { key = .init(topic: outputRecord.topic, key: output.key ?? record.keyString) }
            return ProcessingCore<F.State>.PlannedOutput(record: outputRecord, coalescingKey: key)
        }
        return .handled(planned, changes: changes)
    }

    /// Adds what a flow counted to `bus_flow_events_total`.
    func countEvents(_ events: [String]) {
        for event in events { metrics.flowEvents.increment(labels: ["event": event]) }
    }

    /// Why a flow's throw sends its input to the dead letters.
    static func rejection(for error: any Error) -> RecordCodec<F.State>.Rejection {
        switch error {
        case let rejection as FlowRejection: .init(rejection)
        case let error as SchemaError: .init(error)
        // Not a rule saying no: a bug. The type name says which without risking a payload in
        // the reason.
        default: .init(code: "handler_error", reason: "the flow failed with \(type(of: error))")
        }
    }

    /// Looks for operators' requests a few times a second, not on every record: the hot
    /// path stays a single poll.
    private func answerControlIfDue() {
        let now = ContinuousClock.now
        guard now >= nextControlCheck else { return }
        nextControlCheck = now + .milliseconds(200)
        applyNewErasures()
        tellTableChanges()
        guard let control else { return }
        runCaughtUpCommands()
        while let message = control.next() { run(message) }
    }

    /// Runs a control request over every partition this instance owns (or those of `only`).
    func answer(_ request: FlowControl, input: FlowInput, only: Set<Int32>? = nil) {
        logger.info("control_request", .ceID(input.envelope.id), .count(stores.count))
        runOverPartitions(input: input, only: only) { [flow, tables] state in flow.control(request, state: &state, tables: tables) }
    }

    /// Runs `call` over every partition this instance owns (or those of `only`), as an input
    /// is run: changes applied in memory, each changed key's timer asked again, outputs sent
    /// first and the changelog records once they are delivered, in the partition's order with
    /// its inputs (`ProcessingCore.admitWork`), so a crash in between leaves the restored state
    /// before the call (the command or table change is met again) rather than after it with
    /// its outputs lost. Outputs to `answerTopics` (an operator's answer) go last, once the
    /// state is written. A call that throws leaves its partition as it was.
    func runOverPartitions(input: FlowInput, only: Set<Int32>? = nil, answerTopics: Set<String> = [],
                           _ call: (inout FlowState<F.State>) throws -> [FlowOutput]) {
        runOverPartitions(cause: input.envelope, key: input.key, only: only, answerTopics: answerTopics, call)
    }

    /// As above, for a call that has no input, only a `cause` its outputs derive their ids from.
    func runOverPartitions(cause: Envelope, key causeKey: String?, only: Set<Int32>? = nil, answerTopics: Set<String> = [],
                           _ call: (inout FlowState<F.State>) throws -> [FlowOutput]) {
        for (number, store) in stores.sorted(by: { $0.key < $1.key }) where only?.contains(number) ?? true {
            var state = FlowState(store: store)
            let outputs: [FlowOutput]
            do {
                outputs = try call(&state)
            } catch {
                perform([.report(.timerFailed(partition: number, key: causeKey ?? "", reason: "the flow failed with \(type(of: error))"))])
                continue
            }
            store.apply(state.changes)
            for (key, value) in state.changes { schedule(partition: number, key: key, value: value) }
            // Ids stay deterministic per request and partition: a million outputs apart.
            var records: [ProducerRecord] = []
            var answers: [ProducerRecord] = []
            for (index, output) in outputs.enumerated() {
                let record = codec.record(for: output, position: Int(number) * 1_000_000 + index, cause: cause, key: causeKey)
                if answerTopics.contains(output.topic) { answers.append(record) } else { records.append(record) }
            }
            perform(core.admitWork(partition: number, outputs: records, changes: state.changes.map { ($0.key, $0.value) }, answers: answers))
            if fatal != nil { return }
        }
    }

    private func updateGaugesIfDue() {
        let now = ContinuousClock.now
        guard now >= nextGaugeUpdate else { return }
        nextGaugeUpdate = now + options.gaugeInterval
        for (partition, lag) in consumer.lag(consumer.assignedPartitionsOrEmpty) {
            metrics.lag.set(Double(lag), labels: ["topic": partition.topic, "partition": String(partition.partition)])
        }
        for (partition, store) in stores {
            let label = ["partition": String(partition)]
            metrics.stateKeys.set(Double(store.count), labels: label)
            var estimate = stateSizes[partition] ?? StateSizeEstimate()
            if estimate.needsSample(count: store.count, now: now) {
                let sample = sampledBytes(of: store)
                estimate.record(bytes: sample.bytes, keys: sample.keys, count: store.count, now: now)
            }
            stateSizes[partition] = estimate
            metrics.stateBytes.set(Double(estimate.bytes(count: store.count)), labels: label)
        }
        metrics.inFlight.set(Double(core.totalInFlight))
        for phase in LoopPhases.Phase.allCases {
            metrics.loopSeconds.advance(to: phases.totalSeconds(phase), labels: ["phase": phase.rawValue])
        }
        metrics.emptyPolls.advance(to: Double(phases.emptyPolls))
    }
}

/// How many values `sampledBytes` encodes per partition and sample.
private let stateSampleSize = 64

extension ProcessingLoop {
    /// The bytes of a sample of a state store's entries as its changelog would hold them: the
    /// key and the value's JSON. `StateSizeEstimate` scales the mean to the whole store. A
    /// partition's state is that size in the changelog; in memory, decoded values take about
    /// as much again (see the README's sizing rule, measured).
    func sampledBytes(of store: StateStore<F.State>) -> (bytes: Int, keys: Int) {
        var sampled = 0
        var bytes = 0
        for key in store.keys.prefix(stateSampleSize) {
            guard let value = store[key], let encoded = try? codec.encodeState(value) else { continue }
            sampled += 1
            bytes += key.utf8.count + encoded.count
        }
        return (bytes, sampled)
    }
}

extension KafkaConsumer {
    /// The current assignment, or none when it cannot be read.
    var assignedPartitionsOrEmpty: [TopicPartition] { (try? assignment()) ?? [] }
}
