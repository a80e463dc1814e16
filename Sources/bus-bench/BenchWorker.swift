import BusKafka
import BusRuntime
import BusSchema
import Foundation

/// A worker running on a thread of its own for a benchmark, until `stop`.
final class BenchWorker<F: Flow>: @unchecked Sendable {
    private let stopFlag = StopFlag()
    private let done = DispatchSemaphore(value: 0)
    private let status: WorkerStatus
    private let loopClock = ThreadClock()

    /// Starts `worker`.
    init(_ worker: Worker<F>) {
        status = worker.status
        Thread { [stopFlag, done, loopClock] in
            loopClock.takeCurrentThread()
            try? worker.run { stopFlag.isSet }
            done.signal()
        }.start()
    }

    /// The CPU time the worker's loop thread has used so far, in seconds (0 before it
    /// started): what a query costs the worker, whatever else loads the machine.
    var loopCPUSeconds: Double { loopClock.seconds }

    /// Waits until the worker is ready (assigned, state restored, tables read), at most `timeout`.
    func waitUntilReady(timeout: Duration) throws {
        let deadline = ContinuousClock.now + timeout
        while status.notReadyReason != nil {
            guard ContinuousClock.now < deadline else { throw BenchmarkError.incomplete("worker not ready: \(status.notReadyReason ?? "")") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Asks for a clean stop and waits for it.
    func stop() {
        stopFlag.set()
        done.wait()
    }
}

/// Publishes `records` and waits for every acknowledgement.
func publishAll(_ records: [ProducerRecord], config: KafkaConfig) throws {
    let producer = try KafkaProducer(config: config)
    let done = Countdown(records.count)
    for record in records { producer.enqueue(record) { _ in done.tick() } }
    done.wait()
    producer.close()
}

/// The CPU clock of one thread, readable from any other (`pthread_getcpuclockid`).
final class ThreadClock: @unchecked Sendable {
    private let lock = NSLock()
    private var clock: clockid_t?

    /// Follows the calling thread from now on.
    func takeCurrentThread() {
        var id = clockid_t()
        guard pthread_getcpuclockid(pthread_self(), &id) == 0 else { return }
        lock.withLock { clock = id }
    }

    /// The thread's CPU time in seconds; 0 when unknown.
    var seconds: Double {
        guard let clock = lock.withLock({ clock }) else { return 0 }
        var time = timespec()
        guard clock_gettime(clock, &time) == 0 else { return 0 }
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
