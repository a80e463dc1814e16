/// The metrics every worker exposes on `/metrics`.
struct WorkerMetrics: Sendable {
    let registry: MetricsRegistry
    let consumed: Counter
    let produced: Counter
    let deadLettered: Counter
    let deadLettersLost: Counter
    let drainTimeouts: Counter
    let assignmentsLost: Counter
    let misplaced: Counter
    let retries: Counter
    let rebalances: Counter
    let processingSeconds: Histogram
    let lag: Gauge
    let stateKeys: Gauge
    let stateBytes: Gauge
    let restoreRecords: Counter
    let restoreRemaining: Gauge
    let inFlight: Gauge
    let timersFired: Counter
    let timerFailures: Counter
    let requests: Counter
    let flowEvents: Counter
    let loopSeconds: Counter
    let emptyPolls: Counter
    /// Input age, exceptions by kind, restores; per-partition series removed on revoke.
    let inputs: InputMetrics

    init(registry: MetricsRegistry) throws(RuntimeError) {
        self.registry = registry
        consumed = try registry.counter("bus_records_consumed_total", help: "Input records read, by topic.", labels: ["topic"])
        produced = try registry.counter("bus_records_produced_total", help: "Records delivered, by topic.", labels: ["topic"])
        deadLettered = try registry.counter("bus_dead_letters_total", help: "Inputs sent to the dead-letter topic, by reason code.", labels: ["reason"])
        deadLettersLost = try registry.counter("bus_dead_letters_lost_total", help: "Inputs given up because Kafka refused even their smallest dead letter.")
        drainTimeouts = try registry.counter("bus_drain_timeouts_total", help: "Revokes or stops whose in-flight inputs were not all done within the drain timeout.")
        assignmentsLost = try registry.counter("bus_assignments_lost_total", help: "Revokes of partitions whose assignment was lost (session or poll interval timed out).")
        misplaced = try registry.counter("bus_misplaced_records_total", help: "Keyed inputs found in another partition than murmur2 gives their key, by topic.", labels: ["topic"])
        retries = try registry.counter("bus_retries_total", help: "Retried operations after transient failures, by operation.", labels: ["operation"])
        rebalances = try registry.counter("bus_rebalances_total", help: "Partition assignments and revocations, by kind.", labels: ["kind"])
        processingSeconds = try registry.histogram("bus_processing_seconds", help: "Time to decode and handle one input.")
        lag = try registry.gauge("bus_consumer_lag", help: "Records behind the end of each assigned partition.", labels: ["topic", "partition"])
        stateKeys = try registry.gauge("bus_state_keys", help: "Keys held in the worker's state store, by partition.", labels: ["partition"])
        stateBytes = try registry.gauge(
            "bus_state_bytes", help: "Estimated bytes of the worker's state store, by partition: keys plus values as changelog JSON, from a sample.",
            labels: ["partition"])
        restoreRecords = try registry.counter("bus_state_restore_records_total", help: "Changelog records read while restoring state, by partition.", labels: ["partition"])
        restoreRemaining = try registry.gauge("bus_state_restore_remaining_records", help: "Changelog records still to read in a restore under way, by partition.", labels: ["partition"])
        inFlight = try registry.gauge("bus_inputs_in_flight", help: "Inputs read and not yet done.")
        timersFired = try registry.counter("bus_timers_fired_total", help: "Flow timers that fired (retention, batch release).")
        timerFailures = try registry.counter("bus_timer_failures_total", help: "Flow timers whose firing failed in the flow (changes dropped).")
        requests = try registry.counter(
            "bus_requests_total", help: "Live queries taken in, by topic and outcome (answered, timeout, expired_on_replay).", labels: ["topic", "outcome"])
        flowEvents = try registry.counter(
            "bus_flow_events_total", help: "Events a flow counted that no output shows (late ERP answers dropped, …), by event.", labels: ["event"])
        loopSeconds = try registry.counter(
            "bus_loop_seconds_total",
            help: "Wall time of the processing loop by phase (poll_wait: waiting for an input; produce is part of the phase that produced).",
            labels: ["phase"])
        emptyPolls = try registry.counter("bus_loop_empty_polls_total", help: "Polls of the consumer that returned nothing.")
        inputs = try InputMetrics(registry: registry, lag: lag)
    }
}
