import BusKafka
import BusSchema
import Foundation

/// The whole life of a worker process: configuration from the environment, the operations
/// HTTP server, signal handling, the processing loop, and the exit code.
///
/// Exit codes: 0 after a clean stop (SIGTERM or SIGINT: in-flight inputs finished,
/// offsets committed, group left within `BUS_SHUTDOWN_DEADLINE_SECONDS`); 1 after a fatal
/// error or a missed deadline (the orchestrator restarts the worker and at-least-once
/// delivery does the rest); 2 for a configuration that cannot start.
public enum WorkerMain {
    /// Runs the worker `name`, its flow built by `makeFlow` from the rules in `BUS_CONFIG`.
    public static func run<Rules: FlowRules, F: Flow>(
        name: String, rules: Rules.Type, environment: [String: String] = ProcessInfo.processInfo.environment,
        makeFlow: (Rules) -> F
    ) -> Int32 {
        ShutdownSignals.unblockInheritedMask()
        let config: WorkerConfig
        let flowRules: Rules
        do {
            config = try WorkerConfig.fromEnvironment(workerName: name, environment: environment)
            flowRules = try config.loadRules(Rules.self)
        } catch {
            Logger(worker: name).error("invalid_configuration", .error(error))
            return 2
        }
        let logger = Logger(worker: name, minimumLevel: config.logLevel)
        let kafka: KafkaConfig
        do {
            kafka = try KafkaSettings.read(worker: name, environment: environment, logger: logger,
                                           producerDefaults: Worker<F>.producerDefaults)
        } catch {
            logger.error("invalid_kafka_setting", .error(error))
            return 2
        }
        let status = WorkerStatus()
        let metrics = MetricsRegistry()

        let server: HTTPServer
        do {
            try OperationsMetrics.register(worker: name, status: status, in: metrics)
            let endpoints = OperationsEndpoints(metrics: metrics, liveness: { status.isAlive }, readiness: { status.readiness })
            server = try HTTPServer.start(HTTPServerConfiguration(port: config.httpPort), handler: endpoints.respond)
            logger.info("http_listening", .port(server.port))
        } catch {
            logger.error("http_failed", .error(error))
            return 2
        }
        defer { _ = server.stop() }

        let shutdown = ShutdownRequest()
        let signals: ShutdownSignals
        do {
            signals = try ShutdownSignals.install(requesting: shutdown)
        } catch {
            logger.error("signals_failed", .error(error))
            return 2
        }
        defer { signals.uninstall() }

        let options = config.processingOptions
        // Says where the count came from: an operator reading `"count":2` on a 16-core node
        // should see it was asked for, not guessed.
        logger.info("decode_threads", .count(options.workerThreads),
                    .reason(config.workerThreadsSet ? "set by \(WorkerConfig.workerThreadsVariable)"
                        : "default: the cores available (\(ProcessingOptions.availableCores)), at most \(ProcessingOptions.defaultWorkerThreadsCap)"))
        if let fault = config.faultInjection {
            logger.warn("fault_injection_enabled", .reason(fault.rawValue), .variables([WorkerConfig.faultInjectionVariable]))
        }
        let worker = Worker(
            flow: makeFlow(flowRules), kafka: kafka, groupID: config.groupID, options: options,
            logger: logger, metricsRegistry: metrics, status: status)

        let watchdog = WatchdogArming(deadline: config.shutdownDeadline, logger: logger)
        do {
            try worker.run {
                guard shutdown.isRequested else { return false }
                watchdog.armOnce()
                return true
            }
        } catch {
            let code = (error as? RuntimeError)?.code.rawValue ?? (error as? KafkaError)?.name ?? String(describing: type(of: error))
            logger.error("worker_failed", .errorCode(code))
            return 1
        }
        watchdog.disarm()
        logger.info("worker_stopped", .reason(shutdown.reason?.description ?? "done"))
        return 0
    }
}

/// Arms a shutdown watchdog the first time a stop is seen: if the worker has not stopped by
/// the deadline, the process exits with 1 rather than hang.
private final class WatchdogArming: @unchecked Sendable {
    private let deadline: Duration
    private let logger: Logger
    private let lock = NSLock()
    private var watchdog: ShutdownWatchdog?

    init(deadline: Duration, logger: Logger) {
        self.deadline = deadline
        self.logger = logger
    }

    func armOnce() {
        lock.lock()
        defer { lock.unlock() }
        guard watchdog == nil else { return }
        let logger = logger
        watchdog = ShutdownWatchdog(deadline: ShutdownDeadline(after: deadline)) {
            logger.error("shutdown_deadline_missed")
            exit(1)
        }
    }

    func disarm() {
        lock.lock()
        defer { lock.unlock() }
        _ = watchdog?.disarm()
    }
}
