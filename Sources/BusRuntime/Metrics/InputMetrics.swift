import BusKafka
import BusSchema
import Foundation

/// The per-partition and per-kind metrics the dashboards and alerts need beyond the counters:
/// how old the inputs being read are, exceptions by kind, state restores. Series of a
/// partition are removed when it is revoked, so a sum over replicas counts each once.
struct InputMetrics: Sendable {
    let lag: Gauge
    let inputAge: Gauge
    let exceptions: Counter
    let restoreSeconds: Histogram

    init(registry: MetricsRegistry, lag: Gauge) throws(RuntimeError) {
        self.lag = lag
        inputAge = try registry.gauge(
            "bus_input_age_seconds",
            help: "Age of the last input read on each assigned partition: now minus its record timestamp.",
            labels: ["topic", "partition"])
        exceptions = try registry.counter(
            "bus_business_exceptions_total", help: "Business exceptions published on bus.exceptions, by kind.", labels: ["kind"])
        restoreSeconds = try registry.histogram(
            "bus_state_restore_seconds", help: "Time to restore one partition's state from its changelog.",
            buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300])
    }

    /// Records that `record` was read now.
    func read(_ record: ConsumedRecord, now: Date = Date()) {
        guard let timestamp = record.timestamp else { return }
        // A producer's clock ahead of ours would give a negative age: it is no older than now.
        let age = max(0, now.timeIntervalSince(timestamp))
        inputAge.set(age, labels: Self.labels(record.topicPartition))
    }

    /// Counts the business exception in `output`, if it is one.
    func published(_ output: FlowOutput) {
        guard output.topic == Topics.exceptions else { return }
        let kind = (output.message as? BusinessException)?.kind.rawValue ?? "unknown"
        exceptions.increment(labels: ["kind": kind])
    }

    /// Records one partition's restore.
    func restored(in duration: Duration) {
        restoreSeconds.observe(duration)
    }

    /// Removes the series of partitions given up: their next owner reports them.
    func forget(_ partitions: [TopicPartition]) {
        for partition in partitions {
            lag.remove(labels: Self.labels(partition))
            inputAge.remove(labels: Self.labels(partition))
        }
    }

    private static func labels(_ partition: TopicPartition) -> [String: String] {
        ["topic": partition.topic, "partition": String(partition.partition)]
    }
}
