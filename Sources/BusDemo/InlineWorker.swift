import BusKafka
import BusRuntime
import BusSchema
import Foundation
import Synchronization

/// A worker the demo runs as production does: its own clients, its own consumer group, its
/// own thread (`--workers inline`).
final class InlineWorker: DemoWorker, @unchecked Sendable {
    let name: String
    private let status: WorkerStatus
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let failureText = Mutex<String?>(nil)

    /// Starts `flow` on its own thread against `kafka`.
    init<F: Flow>(_ flow: F, kafka: KafkaConfig, logLevel: LogLevel) {
        name = flow.name
        status = WorkerStatus()
        // Logs go to stderr as in production; the demo keeps them at warnings so that the
        // progress lines stay readable.
        let logger = Logger(worker: flow.name, minimumLevel: logLevel)
        var options = ProcessingOptions()
        options.drainTimeout = .seconds(5)
        let worker = Worker(flow: flow, kafka: kafka, groupID: flow.name, options: options,
                            logger: logger, metricsRegistry: MetricsRegistry(), status: status)
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

    var isReady: Bool { status.readiness == .ready }
    var notReadyReason: String? { status.notReadyReason.map { "\(name): \($0)" } }
    var failure: String? { failureText.withLock { $0 } }

    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
    }

    func waitUntilStopped() {
        finished.wait()
    }
}
