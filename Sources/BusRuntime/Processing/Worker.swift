import BusKafka
import BusSchema
import Foundation
import Synchronization

/// A flow running on Kafka: its consumer group, its producer, its state and tables.
///
/// `run` blocks the calling thread until asked to stop, then finishes in-flight inputs,
/// commits and leaves the group. Delivery is at-least-once: an input's offset is committed
/// only after its outputs and then its state changes are acknowledged, so a crash at any
/// point replays inputs whose effects may be incomplete, and deterministic output ids make
/// the replay harmless.
public final class Worker<F: Flow>: Sendable {
    /// The flow.
    public let flow: F
    /// Health and readiness, for `/healthz` and `/readyz`.
    public let status: WorkerStatus
    /// The worker's metrics, for `/metrics`.
    public let metricsRegistry: MetricsRegistry
    private let kafka: KafkaConfig
    private let groupID: String
    private let registry: MessageRegistry
    private let options: ProcessingOptions
    private let logger: Logger
    private let abandoned = Atomic<Bool>(false)
    private let snapshots = StateSnapshots<F.State>()
    /// The running producer, reachable only for fault tests.
    private let runningProducer = Mutex<KafkaProducer?>(nil)

    /// Settings every worker's producer gets, over the Kafka layer's defaults.
    ///
    /// `message.timeout.ms=0`: a record is retried until delivered, never failed for taking
    /// long. A broker outage then holds the worker (not ready, lag grows) instead of turning
    /// into failed outputs, and the idempotent producer keeps per-partition order throughout.
    public static var producerDefaults: [(String, String)] { [("message.timeout.ms", "0")] }

    /// A worker for `flow` on the cluster `kafka`, in consumer group `groupID`.
    public init(
        flow: F, kafka: KafkaConfig, groupID: String, registry: MessageRegistry = .standard,
        options: ProcessingOptions = ProcessingOptions(), logger: Logger,
        metricsRegistry: MetricsRegistry = MetricsRegistry(), status: WorkerStatus = WorkerStatus()
    ) {
        self.flow = flow
        self.kafka = kafka
        self.groupID = groupID
        self.registry = registry
        self.options = options
        self.logger = logger
        self.metricsRegistry = metricsRegistry
        self.status = status
    }

    /// Runs until `shouldStop` returns true (checked between records), then drains, commits
    /// and leaves the group. Throws the `RuntimeError` (or, at start, `KafkaError`) that stopped it:
    /// the process should exit non-zero.
    public func run(until shouldStop: @escaping @Sendable () -> Bool) throws {
        try Self.checkOwnership(flow: flow, kafka: kafka)
        let metrics = try WorkerMetrics(registry: metricsRegistry)
        var producerConfig = kafka
        for (name, value) in Self.producerDefaults where kafka.value(of: name) == nil {
            producerConfig.set(name, value)
        }
        // Never blocking when librdkafka's queue is full: the loop must keep turning (deliveries,
        // stop requests) while a broker is down; a full queue is retried and pauses the inputs.
        let producer = try KafkaProducer(config: producerConfig, onEvent: clientEventLogger(), blocksWhenFull: false)
        runningProducer.withLock { $0 = producer }
        defer { runningProducer.withLock { $0 = nil } }
        var consumerConfig = kafka
        consumerConfig.groupID = groupID
        // The loop commits itself: periodically, on revoke and at shutdown, and only offsets
        // of finished inputs; nothing is committed behind its back.
        consumerConfig.set("enable.auto.commit", "false")
        let consumer = try KafkaConsumer(config: consumerConfig, onEvent: clientEventLogger())

        var tables: any TableLookup = StaticTables()
        var globalTables: GlobalTables?
        if !flow.tables.isEmpty {
            status.setTablesReady(false)
            let loaded = try GlobalTables(topics: flow.tables, config: kafka, registry: registry, logger: logger)
            while !loaded.waitUntilCaughtUp(timeout: .seconds(1)) {
                guard !shouldStop() else { return }
                logger.info("tables_loading", .count(flow.tables.count))
            }
            status.setTablesReady(true)
            tables = loaded
            globalTables = loaded
        }
        defer { globalTables?.stop() }

        let restorer = flow.isStateful
            ? StateRestorer<F.State>(topic: flow.changelogTopic, config: kafka, logger: logger,
                                     progressInterval: options.restoreProgressInterval) : nil
        let control = ControlChannel(worker: flow.name, config: kafka, registry: registry, logger: logger,
                                     commands: flow.commands, routes: flow.requests)
        defer { control?.close() }
        let loop = ProcessingLoop(
            flow: flow, consumer: consumer, producer: producer, registry: registry, tables: tables,
            restorer: restorer, logger: logger, metrics: metrics, options: options, status: status, control: control,
            snapshots: snapshots)
        do {
            try loop.run(until: { shouldStop() || self.abandoned.load(ordering: .acquiring) }, abandoned: { self.abandoned.load(ordering: .acquiring) })
        } catch {
            status.setFatal(error.code.rawValue)
            throw error
        }
    }

    /// Refuses an assignor that could give partition N of one input and partition N of another
    /// to two instances: a stateful or multi-input flow keeps one state per partition number
    /// and needs both. Only `range` assigns co-partitioned topics together; round-robin and
    /// the sticky assignors spread them.
    static func checkOwnership(flow: F, kafka: KafkaConfig) throws(RuntimeError) {
        guard flow.isStateful || flow.inputs.count > 1 else { return }
        let listed = (kafka.value(of: "partition.assignment.strategy") ?? kafka.assignor?.rawValue ?? "range")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let other = listed.first(where: { $0 != KafkaConfig.Assignor.range.rawValue }) else { return }
        throw RuntimeError(
            .unsafeAssignment,
            "partition.assignment.strategy lists \(other), which can split co-partitioned inputs across instances; "
                + "\(flow.name) keeps state per partition and needs range (unset KAFKA_PARTITION_ASSIGNMENT_STRATEGY or set it to range)",
            context: ["property": "partition.assignment.strategy", "worker": flow.name])
    }

    /// The state of each partition as rebuilt from the changelog at its last assignment.
    public var restoredState: [Int32: [String: F.State]] { snapshots.restored }

    /// The state of each partition when `run` last returned after a clean stop.
    public var finalState: [Int32: [String: F.State]] { snapshots.final }

    /// Stops the worker as a crash would: no drain, no commit. For tests of what a crash
    /// leaves behind; `run` returns soon after.
    public func abandon() {
        abandoned.store(true, ordering: .releasing)
    }

    /// Raises a fatal client error in the running producer, as librdkafka would on a fenced
    /// or desynchronised idempotent producer. For fault tests: the worker must stop with it.
    public func raiseFatalClientErrorForTesting() {
        runningProducer.withLock { $0?.raiseFatalErrorForTesting() }
    }

    private func clientEventLogger() -> KafkaClientEventHandler {
        KafkaSettings.clientLog(logger, config: kafka)
    }
}
