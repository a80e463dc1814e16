import Foundation

/// The figures of one `bus bench` run: a table for people, JSON for machines.
public struct BenchReport: Codable, Sendable {
    /// Milliseconds at three ranks.
    public struct Latency: Codable, Sendable {
        public var p50: Double?
        public var p99: Double?
        public var max: Double?

        init(_ stats: LatencyStats) {
            p50 = stats.percentile(0.5).map { $0 * 1000 }
            p99 = stats.percentile(0.99).map { $0 * 1000 }
            max = stats.percentile(1).map { $0 * 1000 }
        }
    }

    /// One worker configuration against the passthrough over the same inputs.
    public struct Row: Codable, Sendable {
        public var flow: String
        /// `BUS_WORKER_THREADS` of each instance.
        public var threads: Int
        /// Instances in one group.
        public var instances: Int
        public var inputs: Int
        public var inputsPerSecond: Double
        public var passthroughInputsPerSecond: Double
        /// `inputsPerSecond / passthroughInputsPerSecond`.
        public var ratio: Double
        /// Input published → first output it caused, stored.
        public var latencyMs: Latency
        /// Input published → its copy acknowledged.
        public var passthroughLatencyMs: Latency
        /// CPU seconds of the worker processes per 1,000 inputs.
        public var cpuSecondsPer1000Inputs: Double
        /// Highest resident memory of an instance, and its memory ready and idle, MiB.
        public var peakRSSMiB: Double
        public var idleRSSMiB: Double

        init(flow: String, threads: Int, instances: Int, inputs: Int, worker: WorkerRun.Figures, passthrough: PassthroughRun.Figures) {
            self.flow = flow
            self.threads = threads
            self.instances = instances
            self.inputs = inputs
            inputsPerSecond = Double(inputs) / worker.seconds
            passthroughInputsPerSecond = Double(inputs) / passthrough.seconds
            ratio = inputsPerSecond / passthroughInputsPerSecond
            latencyMs = Latency(worker.latency)
            passthroughLatencyMs = Latency(passthrough.latency)
            cpuSecondsPer1000Inputs = worker.cpuSeconds / Double(inputs) * 1000
            peakRSSMiB = Double(worker.peakResidentBytes) / 1_048_576
            idleRSSMiB = Double(worker.idleResidentBytes) / 1_048_576
        }

        /// The row as the table prints it.
        var line: String {
            func ms(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "-" }
            let name = instances == 1 ? flow : "\(flow) x\(instances)"
            return name.padding(toLength: 22, withPad: " ", startingAt: 0)
                + "\(threads)".leftPad(3) + " " + "\(inputs)".leftPad(7) + String(format: " %9.0f %9.0f %6.2f", inputsPerSecond, passthroughInputsPerSecond, ratio)
                + "  \(ms(latencyMs.p50).leftPad(5)) \(ms(latencyMs.p99).leftPad(5)) \(ms(latencyMs.max).leftPad(5))"
                + "  \(ms(passthroughLatencyMs.p50).leftPad(5)) \(ms(passthroughLatencyMs.p99).leftPad(5))"
                + String(format: "  %6.3f %6.1f %6.1f", cpuSecondsPer1000Inputs, peakRSSMiB, idleRSSMiB)
        }
    }

    public var orders: Int
    public var seed: UInt64
    /// Cores this process may use, and the machine's load average when the run began.
    public var cores: Int
    public var loadAverage: Double?
    public var rows: [Row] = []
    /// The ratio below which the run fails, if any (`--quick`).
    public var floor: Double?

    /// The header the table's rows go under.
    public static let header = "worker".padding(toLength: 22, withPad: " ", startingAt: 0)
        + "thr  inputs  inputs/s  pass/s  ratio  p50ms p99ms maxms  pass-p50 p99  cpu/1k peakMiB idleMiB"

    /// The rows below the floor, as sentences.
    public var belowFloor: [String] {
        guard let floor else { return [] }
        return rows.filter { $0.ratio < floor }.map {
            "\($0.flow) (\($0.threads) threads, \($0.instances) instance(s)): "
                + String(format: "%.2f of the passthrough, below %.2f", $0.ratio, floor)
        }
    }

    /// The figures as JSON, keys sorted.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The 1-minute load average, from `/proc/loadavg`.
    static func loadAverage() -> Double? {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) }
    }
}

private extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
