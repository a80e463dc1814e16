import Synchronization

/// A Prometheus histogram family with fixed buckets, e.g. processing time in seconds.
///
/// Thread-safe. Obtained from `MetricsRegistry.histogram(_:help:labels:buckets:)`; rendered by
/// the registry as cumulative `_bucket{le=…}` series ending with `+Inf`, then `_sum` and `_count`.
public final class Histogram: MetricFamily {
    /// Prometheus's usual latency buckets, in seconds: 5 ms to 10 s.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// The metric name, e.g. `bus_processing_seconds`.
    public let name: String
    /// The declared label names, in rendering order (never `le`).
    public let labelNames: [String]
    /// The finite upper bounds, ascending; `+Inf` is implicit.
    public let buckets: [Double]
    let help: String
    let shape: String

    private struct Series {
        var counts: [UInt64]  // per bucket, not cumulative; one extra slot for +Inf
        var sum: Double = 0
        var count: UInt64 = 0
    }

    private let series: Mutex<[[String]: Series]>

    init(name: String, help: String, labelNames: [String], buckets: [Double]) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.buckets = buckets
        shape = "histogram " + buckets.map(PrometheusText.format).joined(separator: ",")
        series = Mutex(labelNames.isEmpty ? [[]: Series(counts: Array(repeating: 0, count: buckets.count + 1))] : [:])
    }

    /// Records one observation. NaN is ignored, since it would poison the sum for good.
    public func observe(_ value: Double, labels: [String: String] = [:]) {
        guard !value.isNaN else { return }
        let key = values(of: labels)
        // The first bucket whose bound is >= value; the +Inf slot otherwise.
        let index = buckets.firstIndex { value <= $0 } ?? buckets.count
        let slots = buckets.count + 1
        series.withLock { all in
            all[key, default: Series(counts: Array(repeating: 0, count: slots))].counts[index] += 1
            all[key]?.sum += value
            all[key]?.count += 1
        }
    }

    /// Records a duration in seconds, the unit Prometheus expects.
    public func observe(_ duration: Duration, labels: [String: String] = [:]) {
        let (seconds, attoseconds) = duration.components
        observe(Double(seconds) + Double(attoseconds) * 1e-18, labels: labels)
    }

    /// How many observations the series for `labels` has (0 if none).
    public func count(labels: [String: String] = [:]) -> UInt64 {
        let key = values(of: labels)
        return series.withLock { $0[key]?.count ?? 0 }
    }

    func render(into text: inout String) {
        text += PrometheusText.header(name: name, help: help, type: "histogram")
        let snapshot = series.withLock { $0 }
        let bucketLabels = labelNames + ["le"]
        let bounds = buckets.map(PrometheusText.format) + ["+Inf"]
        for key in snapshot.keys.sorted(by: PrometheusText.precedes) {
            guard let entry = snapshot[key] else { continue }
            var cumulative: UInt64 = 0
            for (bound, count) in zip(bounds, entry.counts) {
                cumulative += count
                text += "\(name)_bucket\(PrometheusText.labelSet(bucketLabels, key + [bound])) \(cumulative)\n"
            }
            let labels = PrometheusText.labelSet(labelNames, key)
            text += "\(name)_sum\(labels) \(PrometheusText.format(entry.sum))\n"
            text += "\(name)_count\(labels) \(entry.count)\n"
        }
    }
}
