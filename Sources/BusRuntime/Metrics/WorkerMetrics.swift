/// The metrics every worker exposes (issue 4), registered once under stable names so the
/// processing loop, dashboards and alerts agree on them.
///
/// No `worker` label: each worker is its own process, and Prometheus adds `job`/`instance`.
public struct WorkerMetrics: Sendable {
    /// `bus_records_consumed_total{topic}`: input records read.
    public let consumed: Counter
    /// `bus_records_produced_total{topic}`: output records acknowledged by the broker.
    public let produced: Counter
    /// `bus_records_dead_lettered_total{reason}`: inputs sent to `bus.dlq.<worker>`.
    public let deadLettered: Counter
    /// `bus_business_exceptions_total{topic}`: messages written to `bus.exceptions`, per input topic.
    public let businessExceptions: Counter
    /// `bus_retries_total{operation}`: transient failures retried (e.g. `produce`, `commit`).
    public let retries: Counter
    /// `bus_processing_seconds{topic}`: time from consuming an input to marking it done.
    public let processingSeconds: Histogram
    /// `bus_consumer_lag{topic,partition}`: records between the committed offset and the end.
    public let consumerLag: Gauge
    /// `bus_rebalances_total{event}`: partition assignments (`assign`) and revocations (`revoke`).
    public let rebalances: Counter
    /// `bus_state_entries{store}`: keys held in each in-memory state store.
    public let stateEntries: Gauge

    /// Registers the worker metrics in `registry` (idempotent: registering twice returns the same
    /// families). Throws `.invalidMetric` only if the registry already holds a different metric
    /// under one of these names.
    public init(registry: MetricsRegistry, processingBuckets: [Double] = Histogram.defaultBuckets) throws(RuntimeError) {
        consumed = try registry.counter("bus_records_consumed_total", help: "Input records read.", labels: ["topic"])
        produced = try registry.counter(
            "bus_records_produced_total", help: "Output records acknowledged by the broker.", labels: ["topic"])
        deadLettered = try registry.counter(
            "bus_records_dead_lettered_total", help: "Input records sent to the dead-letter topic.", labels: ["reason"])
        businessExceptions = try registry.counter(
            "bus_business_exceptions_total", help: "Business exceptions written to bus.exceptions.", labels: ["topic"])
        retries = try registry.counter("bus_retries_total", help: "Transient failures retried.", labels: ["operation"])
        processingSeconds = try registry.histogram(
            "bus_processing_seconds", help: "Time from consuming an input to marking it done.", labels: ["topic"],
            buckets: processingBuckets)
        consumerLag = try registry.gauge(
            "bus_consumer_lag", help: "Records between the committed offset and the end of the partition.",
            labels: ["topic", "partition"])
        rebalances = try registry.counter("bus_rebalances_total", help: "Partition assignments and revocations.", labels: ["event"])
        stateEntries = try registry.gauge("bus_state_entries", help: "Keys held in each state store.", labels: ["store"])
    }
}
