import Synchronization

/// A Prometheus counter family: one monotonically increasing value per label set.
///
/// Thread-safe. Obtained from `MetricsRegistry.counter(_:help:labels:)`; rendered by the registry.
public final class Counter: MetricFamily {
    /// The metric name, e.g. `bus_records_consumed_total`.
    public let name: String
    /// The declared label names, in rendering order.
    public let labelNames: [String]
    let help: String
    let shape = "counter"
    private let series: Mutex<[[String]: Double]>

    init(name: String, help: String, labelNames: [String]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
        // An unlabelled counter exists from the start, so a scrape shows 0 rather than nothing.
        series = Mutex(labelNames.isEmpty ? [[]: 0] : [:])
    }

    /// Adds `amount` to the series for `labels`. Negative, infinite and NaN amounts are ignored:
    /// a counter only goes up. Undeclared label keys are dropped, missing ones are empty.
    public func increment(by amount: Double = 1, labels: [String: String] = [:]) {
        guard amount >= 0, amount.isFinite else { return }
        let key = values(of: labels)
        series.withLock { $0[key, default: 0] += amount }
    }

    /// Raises the series for `labels` to `total` when it is higher, for a total read from
    /// elsewhere (the process's CPU time from /proc): a counter never goes down.
    func advance(to total: Double, labels: [String: String] = [:]) {
        guard total.isFinite else { return }
        let key = values(of: labels)
        series.withLock { $0[key] = max($0[key] ?? 0, total) }
    }

    /// The current value for `labels` (0 if never incremented).
    public func value(labels: [String: String] = [:]) -> Double {
        let key = values(of: labels)
        return series.withLock { $0[key] ?? 0 }
    }

    func render(into text: inout String) {
        text += PrometheusText.header(name: name, help: help, type: shape)
        let snapshot = series.withLock { $0 }
        for key in snapshot.keys.sorted(by: PrometheusText.precedes) {
            text += "\(name)\(PrometheusText.labelSet(labelNames, key)) \(PrometheusText.format(snapshot[key] ?? 0))\n"
        }
    }
}
