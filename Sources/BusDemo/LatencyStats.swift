import Foundation

/// End-to-end latencies of one flow: from the moment an input was published to the moment
/// the broker stored the first output it caused (matched by `ce_causationid`).
struct LatencyStats {
    private(set) var samples: [Double] = []

    mutating func add(_ seconds: Double) {
        samples.append(seconds)
    }

    /// The value below which `fraction` of the samples lie (nearest rank).
    func percentile(_ fraction: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// "p50 12 ms, p99 80 ms", or "no samples".
    var summary: String {
        guard let p50 = percentile(0.5), let p99 = percentile(0.99) else { return "no samples" }
        return String(format: "p50 %4.0f ms  p99 %5.0f ms", p50 * 1000, p99 * 1000)
    }
}
