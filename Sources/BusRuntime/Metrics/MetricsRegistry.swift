import Synchronization

/// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
/// text exposition format 0.0.4.
///
/// Thread-safe: metrics are recorded from any thread while `/metrics` renders. Output is stable:
/// families sorted by name, series by label values, labels in declared order.
public final class MetricsRegistry: Sendable {
    /// The content type of `render()`'s output, for the HTTP response.
    public static let contentType = PrometheusText.contentType

    private let families = Mutex<[String: any MetricFamily]>([:])
    private let collectors = Mutex<[@Sendable () -> Void]>([])

    /// An empty registry.
    public init() {}

    /// Registers a counter, or returns the one already registered under `name` with the same
    /// labels. Throws `.invalidMetric` for a bad name or label, or a clash with another metric.
    public func counter(_ name: String, help: String, labels: [String] = []) throws(RuntimeError) -> Counter {
        try register(Counter(name: name, help: help, labelNames: labels))
    }

    /// Registers a gauge, or returns the one already registered under `name` with the same
    /// labels. Throws `.invalidMetric` for a bad name or label, or a clash with another metric.
    public func gauge(_ name: String, help: String, labels: [String] = []) throws(RuntimeError) -> Gauge {
        try register(Gauge(name: name, help: help, labelNames: labels))
    }

    /// Registers a histogram with fixed bucket bounds (sorted and de-duplicated here; `+Inf` is
    /// implicit), or returns the one already registered under `name` with the same labels and
    /// buckets. Throws `.invalidMetric` for a bad name, label (`le` is reserved) or bucket.
    public func histogram(
        _ name: String, help: String, labels: [String] = [], buckets: [Double] = Histogram.defaultBuckets
    ) throws(RuntimeError) -> Histogram {
        guard !labels.contains("le") else {
            throw RuntimeError(.invalidMetric, "the label name 'le' is reserved for histogram buckets",
                               context: ["metric": name])
        }
        guard buckets.allSatisfy(\.isFinite) else {
            throw RuntimeError(.invalidMetric, "histogram buckets must be finite numbers; +Inf is added automatically",
                               context: ["metric": name])
        }
        let bounds = Array(Set(buckets)).sorted()
        return try register(Histogram(name: name, help: help, labelNames: labels, buckets: bounds))
    }

    /// Adds a function that refreshes some metrics just before each `render()`, for values
    /// read from elsewhere at scrape time (the process's memory and CPU, readiness).
    public func collect(_ refresh: @escaping @Sendable () -> Void) {
        collectors.withLock { $0.append(refresh) }
    }

    /// The whole registry in text exposition format 0.0.4, ending with a line feed.
    public func render() -> String {
        for refresh in collectors.withLock({ $0 }) { refresh() }
        // Render outside the registry lock: each family takes only its own lock.
        let ordered = families.withLock { $0.values.sorted { $0.name < $1.name } }
        var text = ""
        for family in ordered { family.render(into: &text) }
        return text
    }

    private func register<Family: MetricFamily>(_ candidate: Family) throws(RuntimeError) -> Family {
        let name = candidate.name
        guard PrometheusText.isValidMetricName(name) else {
            throw RuntimeError(.invalidMetric, "metric names must match [a-zA-Z_:][a-zA-Z0-9_:]*",
                               context: ["metric": name])
        }
        for label in candidate.labelNames where !PrometheusText.isValidLabelName(label) {
            throw RuntimeError(.invalidMetric, "label names must match [a-zA-Z_][a-zA-Z0-9_]* and not start with '__'",
                               context: ["metric": name, "label": label])
        }
        guard Set(candidate.labelNames).count == candidate.labelNames.count else {
            throw RuntimeError(.invalidMetric, "a label name is declared twice", context: ["metric": name])
        }
        let existing: (any MetricFamily)? = families.withLock { all in
            if let found = all[name] { return found }
            all[name] = candidate
            return nil
        }
        guard let existing else { return candidate }
        // The same declaration twice (two components sharing a metric) gets the same family.
        guard let same = existing as? Family, same.labelNames == candidate.labelNames, same.shape == candidate.shape else {
            throw RuntimeError(.invalidMetric, "a different metric is already registered under this name",
                               context: ["metric": name, "registered": existing.shape])
        }
        return same
    }
}
