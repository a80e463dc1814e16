import Foundation

/// A worker's settings from its environment, checked all at once at start.
///
/// Guarantees: a value is only made if every `BUS_*` variable is valid; otherwise one
/// `.invalidConfiguration` error lists every bad variable and why, so an operator fixes them
/// in one go. The whole environment is kept for the Kafka layer's `KAFKA_*` settings.
public struct WorkerConfig: Sendable, Hashable {
    /// `BUS_GROUP_ID`: the consumer group; defaults to the worker's name.
    public static let groupIDVariable = "BUS_GROUP_ID"
    /// `BUS_HTTP_PORT`: the metrics and health port, 0…65535 (0 = any free port).
    public static let httpPortVariable = "BUS_HTTP_PORT"
    /// `BUS_LOG_LEVEL`: `debug`, `info`, `warn` or `error`.
    public static let logLevelVariable = "BUS_LOG_LEVEL"
    /// `BUS_CONFIG`: path of the flow's JSON rules file; unset means the flow's defaults.
    public static let rulesPathVariable = "BUS_CONFIG"
    /// `BUS_SHUTDOWN_DEADLINE_SECONDS`: how long a graceful shutdown may take.
    public static let shutdownDeadlineVariable = "BUS_SHUTDOWN_DEADLINE_SECONDS"
    /// `BUS_FAULT_INJECTION`: a fault the worker injects into itself, for proving the crash
    /// checks (`store-offsets-before-ack`); unset in production.
    public static let faultInjectionVariable = "BUS_FAULT_INJECTION"
    /// `BUS_WORKER_THREADS`: threads that decode inputs, 1…256; unset means the cores
    /// available, at most 8 (`ProcessingOptions.defaultWorkerThreads`).
    public static let workerThreadsVariable = "BUS_WORKER_THREADS"
    /// The most threads `BUS_WORKER_THREADS` may ask for.
    public static let maxWorkerThreads = 256

    /// The port used when `BUS_HTTP_PORT` is unset.
    public static let defaultHTTPPort = 8080
    /// The level used when `BUS_LOG_LEVEL` is unset.
    public static let defaultLogLevel = LogLevel.info
    /// The deadline used when `BUS_SHUTDOWN_DEADLINE_SECONDS` is unset: inside Kubernetes'
    /// default 30 s grace period, leaving time to leave the group.
    public static let defaultShutdownDeadline = Duration.seconds(20)

    /// The worker's name, e.g. `order-ingest`.
    public var workerName: String
    /// The consumer group id.
    public var groupID: String
    /// The HTTP port for `/metrics`, `/healthz` and `/readyz`; 0 asks for any free port.
    public var httpPort: Int
    /// The minimum log level.
    public var logLevel: LogLevel
    /// The flow's rules file, or nil to use the flow's defaults.
    public var rulesPath: String?
    /// How long a graceful shutdown may take before the process gives up and exits.
    public var shutdownDeadline: Duration
    /// The fault injected for a check, or nil (production).
    public var faultInjection: FaultInjection?
    /// Threads that decode inputs (see `ProcessingOptions.workerThreads`).
    public var workerThreads: Int
    /// Whether `workerThreads` was set (`BUS_WORKER_THREADS`) rather than the default.
    public var workerThreadsSet: Bool
    /// The whole environment, for settings parsed elsewhere (`KAFKA_*` in the Kafka layer).
    public var environment: [String: String]

    /// A configuration with explicit values (tests, tools).
    public init(
        workerName: String, groupID: String? = nil, httpPort: Int = Self.defaultHTTPPort,
        logLevel: LogLevel = Self.defaultLogLevel, rulesPath: String? = nil,
        shutdownDeadline: Duration = Self.defaultShutdownDeadline, faultInjection: FaultInjection? = nil,
        workerThreads: Int? = nil, environment: [String: String] = [:]
    ) {
        self.workerName = workerName
        self.groupID = groupID ?? workerName
        self.httpPort = httpPort
        self.logLevel = logLevel
        self.rulesPath = rulesPath
        self.shutdownDeadline = shutdownDeadline
        self.faultInjection = faultInjection
        self.workerThreads = workerThreads ?? ProcessingOptions.defaultWorkerThreads
        self.workerThreadsSet = workerThreads != nil
        self.environment = environment
    }

    /// Reads the `BUS_*` variables, applying defaults for unset ones. Throws one
    /// `.invalidConfiguration` error naming every bad variable (its context maps each to why).
    /// `BUS_CONFIG` must name a readable file; its content is checked by `loadRules(_:)`.
    public static func fromEnvironment(
        workerName: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(RuntimeError) -> WorkerConfig {
        var reader = EnvironmentReader(environment)
        let groupID = reader.read(groupIDVariable, default: workerName, parse: EnvironmentReader.groupID)
        let port = reader.read(httpPortVariable, default: defaultHTTPPort, parse: EnvironmentReader.port)
        let level = reader.read(logLevelVariable, default: defaultLogLevel, parse: EnvironmentReader.logLevel)
        let rules = reader.read(rulesPathVariable, default: nil, parse: EnvironmentReader.readableFile)
        let deadline = reader.read(shutdownDeadlineVariable, default: defaultShutdownDeadline,
                                   parse: EnvironmentReader.positiveSeconds)
        let fault = reader.read(faultInjectionVariable, default: nil, parse: FaultInjection.parse)
        let threads: Int? = reader.read(workerThreadsVariable, default: nil,
                                        parse: { EnvironmentReader.count($0, atMost: maxWorkerThreads).map(Optional.some) })
        guard reader.problems.isEmpty else {
            let list = reader.problems.map { "\($0.variable): \($0.reason)" }.joined(separator: "; ")
            let noun = reader.problems.count == 1 ? "variable is" : "variables are"
            throw RuntimeError(
                .invalidConfiguration,
                "\(reader.problems.count) environment \(noun) invalid: \(list)",
                context: Dictionary(reader.problems.map { ($0.variable, $0.reason) }, uniquingKeysWith: { a, _ in a })
            )
        }
        return WorkerConfig(
            workerName: workerName, groupID: groupID, httpPort: port, logLevel: level, rulesPath: rules,
            shutdownDeadline: deadline, faultInjection: fault, workerThreads: threads, environment: environment
        )
    }

    /// The processing options for this configuration: the drain leaves time within the
    /// shutdown deadline for the commit and the group leave; an injected fault is switched on.
    public var processingOptions: ProcessingOptions {
        var options = ProcessingOptions()
        options.drainTimeout = max(shutdownDeadline - .seconds(3), shutdownDeadline / 2)
        options.storesOffsetsBeforeAcknowledgement = faultInjection == .storeOffsetsBeforeAcknowledgement
        options.workerThreads = workerThreads
        return options
    }

    /// The flow's rules from `rulesPath`, or `Rules.defaults` when it is nil.
    public func loadRules<Rules: FlowRules>(_ type: Rules.Type = Rules.self) throws(RuntimeError) -> Rules {
        try RulesFile.load(type, from: rulesPath)
    }
}
