import ArticlePublisherFlow
import BusKafka
import BusRuntime
import BusSchema
import CustomerSyncFlow
import Foundation
import OrderIngestFlow
import PaymentLettererFlow
import StatusNotifierFlow
import StockBroadcasterFlow

/// What `bus bench` needs of a flow: its name and the topics it reads.
struct BenchFlow: Sendable {
    let name: String
    let inputs: [String]
    let tables: [String]
    let changelogTopic: String

    init<F: Flow>(_ flow: F) {
        name = flow.name
        inputs = flow.inputs
        tables = flow.tables
        changelogTopic = flow.changelogTopic
    }

    /// The six flows, in the demo report's order.
    static let all = [
        BenchFlow(CustomerSyncFlow()), BenchFlow(ArticlePublisherFlow()), BenchFlow(StockBroadcaster()),
        BenchFlow(OrderIngest()), BenchFlow(PaymentLetterer()), BenchFlow(StatusNotifier()),
    ]
}

/// `bus bench`: each of the six workers against the Kafka layer's passthrough over the same
/// records, in one run.
public enum FlowBench {
    /// What to run.
    public struct Options: Sendable {
        /// Orders in the demo day whose records are the inputs.
        public var orders = 1_000
        public var seed: UInt64 = 20_250_612
        public var catalogue = URL(fileURLWithPath: "topics/topics.json")
        /// Decode threads to measure each worker with (`BUS_WORKER_THREADS`).
        public var threads = [1, 2]
        /// Also one stock-broadcaster against two on one cluster.
        public var scaling = true
        /// Where the worker executables are; nil: next to the running executable.
        public var executables: URL?
        /// A ratio to the passthrough below which the run fails (`--quick`: 0.25).
        public var floor: Double?

        public init() {}
    }

    /// Runs the bench, printing progress and the table on `console`; returns the figures.
    public static func run(_ options: Options, console: any DemoConsole) throws -> BenchReport {
        console.line("bus bench: a demo day of \(options.orders) orders (seed \(options.seed)) makes the inputs")
        let inputs = try BenchInputs.capture(orders: options.orders, seed: options.seed, catalogue: options.catalogue)
        console.line(BenchReport.header)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bus-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var report = BenchReport(orders: options.orders, seed: options.seed, cores: ProcessingOptions.availableCores,
                                 loadAverage: BenchReport.loadAverage())
        var runs: [(flow: BenchFlow, threads: Int, instances: Int)] = []
        for flow in BenchFlow.all {
            for threads in options.threads { runs.append((flow, threads, 1)) }
        }
        if options.scaling, let stock = BenchFlow.all.first(where: { $0.name == StockBroadcaster().name }) {
            runs.append((stock, options.threads.max() ?? 1, 2))
        }
        var passthroughs: [String: PassthroughRun.Figures] = [:]
        for run in runs {
            let records = BenchInputs.producerRecords(inputs.inputs(of: run.flow.inputs, notWrittenBy: run.flow.name))
            guard !records.isEmpty else { throw DemoError("the demo day left no inputs for \(run.flow.name)") }
            let passthrough = try passthroughs[run.flow.name] ?? PassthroughRun.measure(records, topics: inputs.topics)
            passthroughs[run.flow.name] = passthrough
            let worker = try WorkerRun(flow: run.flow, inputs: inputs, executables: options.executables, workDirectory: directory)
                .measure(threads: run.threads, instances: run.instances)
            let row = BenchReport.Row(flow: run.flow.name, threads: run.threads, instances: run.instances, inputs: records.count,
                                      worker: worker, passthrough: passthrough)
            console.line(row.line)
            report.rows.append(row)
        }
        report.floor = options.floor
        return report
    }
}
