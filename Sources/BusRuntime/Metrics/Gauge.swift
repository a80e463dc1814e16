import Synchronization

/// A Prometheus gauge family: one value per label set that can go up and down, or be removed.
///
/// Thread-safe. Obtained from `MetricsRegistry.gauge(_:help:labels:)`; rendered by the registry.
public final class Gauge: MetricFamily {
    /// The metric name, e.g. `bus_consumer_lag`.
    public let name: String
    /// The declared label names, in rendering order.
    public let labelNames: [String]
    let help: String
    let shape = "gauge"
    private let series: Mutex<[[String]: Double]>

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
        series = Mutex(labelNames.isEmpty ? [[]: 0] : [:])
    }

    /// Sets the series for `labels` to `value`.
    public func set(_ value: Double, labels: [String: String] = [:]) {
        let key = values(of: labels)
        series.withLock { $0[key] = value }
    }

    /// Adds `amount` (which may be negative) to the series for `labels`.
    public func increment(by amount: Double = 1, labels: [String: String] = [:]) {
        let key = values(of: labels)
        series.withLock { $0[key, default: 0] += amount }
    }

    /// Subtracts `amount` from the series for `labels`.
    public func decrement(by amount: Double = 1, labels: [String: String] = [:]) {
        increment(by: -amount, labels: labels)
    }

    /// Removes the series for `labels`, e.g. a partition's lag once the partition is revoked,
    /// so the scrape stops reporting a value nobody updates any more.
    public func remove(labels: [String: String]) {
        let key = values(of: labels)
        _ = series.withLock { $0.removeValue(forKey: key) }
    }

    /// The current value for `labels`, or nil if the series does not exist.
    public func value(labels: [String: String] = [:]) -> Double? {
        let key = values(of: labels)
        return series.withLock { $0[key] }
    }

    func render(into text: inout String) {
        text += PrometheusText.header(name: name, help: help, type: shape)
        let snapshot = series.withLock { $0 }
        for key in snapshot.keys.sorted(by: PrometheusText.precedes) {
            text += "\(name)\(PrometheusText.labelSet(labelNames, key)) \(PrometheusText.format(snapshot[key] ?? 0))\n"
        }
    }
}
