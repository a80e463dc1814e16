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

/// Starts the six workers as `--workers` says: threads, child processes, or none.
enum WorkerFleet {
    /// The six workers, in the report's order, started on `cluster`.
    static func start(_ mode: DemoWorkerMode, on cluster: DemoClusterConnection, options: DemoOptions, logDirectory: URL) throws -> [any DemoWorker] {
        switch mode {
        case .none: return []
        case .inline: return try inline(cluster)
        case .processes:
            let launcher = try ProcessLauncher(cluster: cluster, options: options, logDirectory: logDirectory)
            return try DemoRules.flows.map { try launcher.start($0.name) }
        }
    }

    private static func inline(_ cluster: DemoClusterConnection) throws -> [any DemoWorker] {
        func config(_ name: String) -> KafkaConfig { cluster.config(clientID: name) }
        // The workers log on stderr as in production, at warnings unless BUS_LOG_LEVEL says otherwise.
        let level = ProcessInfo.processInfo.environment[WorkerConfig.logLevelVariable].flatMap(LogLevel.init(name:)) ?? .warn
        return [
            InlineWorker(CustomerSyncFlow(rules: try DemoRules.customerSync()), kafka: config("customer-sync"), logLevel: level),
            InlineWorker(ArticlePublisherFlow(), kafka: config("article-publisher"), logLevel: level),
            InlineWorker(StockBroadcaster(rules: try DemoRules.stockBroadcaster()), kafka: config("stock-broadcaster"), logLevel: level),
            InlineWorker(OrderIngest(rules: DemoRules.orderIngest), kafka: config("order-ingest"), logLevel: level),
            InlineWorker(PaymentLetterer(rules: try DemoRules.paymentLetterer()), kafka: config("payment-letterer"), logLevel: level),
            InlineWorker(StatusNotifier(rules: try DemoRules.statusNotifier()), kafka: config("status-notifier"), logLevel: level),
        ]
    }
}

/// Starts worker executables as a container would: the inherited environment (the
/// `KAFKA_*` security settings included), the cluster's address, the demo's rules files in
/// `BUS_CONFIG`, a free `BUS_HTTP_PORT`.
struct ProcessLauncher {
    let directory: URL
    let logDirectory: URL
    private let environment: [String: String]
    private let rulesFiles: [String: URL]

    init(cluster: DemoClusterConnection, options: DemoOptions, logDirectory: URL) throws {
        let directory = options.executables ?? Self.ownDirectory
        self.directory = directory
        self.logDirectory = logDirectory
        let missing = DemoRules.flows.map(\.name).filter { !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent($0).path) }
        guard missing.isEmpty else {
            throw DemoError("--workers processes needs the worker executables next to bus: \(missing.joined(separator: ", ")) not in \(directory.path) (swift build builds them)")
        }
        var environment = ProcessInfo.processInfo.environment
        environment.merge(cluster.workerEnvironment) { $1 }
        environment[WorkerConfig.logLevelVariable] = environment[WorkerConfig.logLevelVariable] ?? "warn"
        environment.merge(options.workerEnvironment) { $1 }
        self.environment = environment
        var files: [String: URL] = [:]
        for (worker, text) in DemoRules.summary {
            let file = logDirectory.appendingPathComponent("\(worker).rules.json")
            try Data(text.utf8).write(to: file)
            files[worker] = file
        }
        rulesFiles = files
    }

    /// Starts worker `name`; `label` names a second replica ("order-ingest#2").
    func start(_ name: String, label: String? = nil) throws -> WorkerProcess {
        var environment = environment
        environment[WorkerConfig.rulesPathVariable] = rulesFiles[name]?.path
        return try WorkerProcess(name: name, label: label, executable: directory.appendingPathComponent(name),
                                 environment: environment, logDirectory: logDirectory)
    }

    /// The directory of the running executable (`bus`), where SwiftPM and the image put the workers.
    static var ownDirectory: URL {
        (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath().deletingLastPathComponent()
    }
}
