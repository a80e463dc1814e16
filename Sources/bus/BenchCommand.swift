import BusDemo
import BusRuntime
import Foundation

/// `bus bench`: each of the six workers, as executables, against the Kafka layer's
/// passthrough over the same records, on the embedded cluster. The bench lives in BusDemo,
/// whose simulator makes the inputs.
struct BenchCommand: BusCommand {
    let name = "bench"
    let summary = "measure each worker against the Kafka passthrough over a demo day's records (release build)"
    let usage = """
    usage:
      bus bench [--quick] [--orders N] [--threads N[,N...]] [--json FILE] [--catalogue FILE]
    Lives one demo day (the ERP and site simulators with the six workers inline) and keeps every
    record it wrote. Then, for each worker, on an embedded cluster of its own: the passthrough
    (consume, produce a copy, store the offset once acknowledged) over that worker's inputs, and the
    worker executable (next to bus) draining the same inputs, published in one burst once it is
    ready. Per worker and thread count: inputs/s and the ratio to the passthrough, end-to-end
    latency p50/p99/max (input published to the first output it caused), CPU seconds per 1,000
    inputs, peak RSS and RSS once ready and idle; then one stock-broadcaster against two in one group.
      --quick           a small day (60 orders), the default thread count only (the cores
                        available, at most 8), no two-instance run;
                        exit 1 if any worker is below 0.25 of the passthrough (CI)
      --orders N        orders in the demo day (default 1000)
      --threads LIST    BUS_WORKER_THREADS values to measure (default 1,2)
      --json FILE       also write the figures as JSON to FILE
      --catalogue FILE  the topic catalogue (default topics/topics.json)
    Build in release mode for figures worth comparing: swift build -c release.
    """

    /// The ratio to the passthrough below which `--quick` fails.
    static let quickFloor = 0.25

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: ["orders", "threads", "json", "catalogue"], switches: ["quick"])
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'") }
        var options = FlowBench.Options()
        if parsed.switches.contains("quick") {
            options.orders = 60
            // The workers' own default (`BUS_WORKER_THREADS` unset): the cores available.
            options.threads = [ProcessingOptions.defaultWorkerThreads]
            options.scaling = false
            options.floor = Self.quickFloor
        }
        if let text = parsed.options["orders"] {
            guard let orders = Int(text), (1...20_000).contains(orders) else { throw UsageError(message: "--orders must be a whole number from 1 to 20000") }
            options.orders = orders
        }
        if let text = parsed.options["threads"] {
            let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 256 }) else {
                throw UsageError(message: "--threads must be whole numbers from 1 to 256, comma-separated (got '\(text)')")
            }
            options.threads = values.compactMap { $0 }
        }
        if let path = parsed.options["catalogue"] { options.catalogue = URL(fileURLWithPath: path) }
        guard FileManager.default.isReadableFile(atPath: options.catalogue.path) else {
            output.error("bus bench: cannot read the topic catalogue at \(options.catalogue.path): run from the repository root or pass --catalogue")
            return .failure
        }
        do {
            let report = try FlowBench.run(options, console: output)
            if let path = parsed.options["json"] { try report.json().write(to: URL(fileURLWithPath: path)) }
            let below = report.belowFloor
            for line in below { output.error("bus bench: \(line)") }
            return below.isEmpty ? .success : .failure
        } catch {
            output.error("bus bench: \(error)")
            return .failure
        }
    }
}
