import BusKafka
import BusRuntime
import BusSchema
import Foundation
import Synchronization

/// A worker the demo runs as production does: its own clients, its own consumer group, its
/// own thread, with its metrics at hand for the progress line and the report.
final class DemoWorker: @unchecked Sendable {
    let name: String
    let metrics: MetricsRegistry
    let status: WorkerStatus
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let failureText = Mutex<String?>(nil)

    /// Starts `flow` on its own thread against `kafka`.
    init<F: Flow>(_ flow: F, kafka: KafkaConfig, logLevel: LogLevel) {
        name = flow.name
        metrics = MetricsRegistry()
        status = WorkerStatus()
        // Logs go to stderr as in production; the demo keeps them at warnings so that the
        // progress lines stay readable.
        let logger = Logger(worker: flow.name, minimumLevel: logLevel)
        var options = ProcessingOptions()
        options.drainTimeout = .seconds(5)
        let worker = Worker(flow: flow, kafka: kafka, groupID: flow.name, options: options,
                            logger: logger, metricsRegistry: metrics, status: status)
        let thread = Thread { [self] in
            do {
                try worker.run { self.stopRequested.load(ordering: .acquiring) }
            } catch {
                failureText.withLock { $0 = String(describing: error) }
            }
            finished.signal()
        }
        thread.name = flow.name
        thread.start()
    }

    /// Why the worker stopped on its own, if it did.
    var failure: String? { failureText.withLock { $0 } }

    /// Asks for a clean stop and waits for it.
    func stop() {
        requestStop()
        waitUntilStopped()
    }

    /// Asks for a clean stop (finish in-flight inputs, commit, leave the group) without
    /// waiting, so several workers stop at once.
    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
    }

    /// Waits until `run` returned.
    func waitUntilStopped() {
        finished.wait()
    }

    /// The sum of a metric's samples whose line starts with `prefix`.
    func metric(_ prefix: String) -> Double {
        metrics.render().split(separator: "\n")
            .filter { $0.hasPrefix(prefix) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }

    /// Inputs read, outputs delivered (dead letters and changelog included), lag, dead
    /// letters, business exceptions.
    var counts: (consumed: Int, produced: Int, lag: Int, deadLetters: Int, exceptions: Int) {
        let text = metrics.render().split(separator: "\n")
        func sum(_ prefix: String, excluding: [String] = []) -> Int {
            Int(text.filter { $0.hasPrefix(prefix) && !excluding.contains(where: $0.contains) }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +))
        }
        return (sum("bus_records_consumed_total{"),
                sum("bus_records_produced_total{", excluding: ["bus.dlq.", ".state\"", "bus.exceptions"]),
                sum("bus_consumer_lag{"), sum("bus_dead_letters_total{"), sum("bus_business_exceptions_total"))
    }
}
