import BusKafka
import Foundation

/// Runs a consumer's poll loop on its own thread, as a worker would, storing the offset of
/// each record after recording it.
final class PollLoop: @unchecked Sendable {
    let consumer: KafkaConsumer
    let name: String
    private let lock = NSLock()
    private var _records: [ConsumedRecord] = []
    private var _events: [String] = []
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    init(_ consumer: KafkaConsumer, name: String) {
        self.consumer = consumer
        self.name = name
    }

    var records: [ConsumedRecord] { lock.lock(); defer { lock.unlock() }; return _records }
    /// How many records had been read when each revoke happened.
    private(set) var readAtRevoke: [Int] = []
    var events: [String] { lock.lock(); defer { lock.unlock() }; return _events }

    func log(_ event: String) {
        lock.lock()
        _events.append(event)
        if event.hasPrefix("revoked") { readAtRevoke.append(_records.count) }
        lock.unlock()
    }

    func start() {
        Thread { [self] in
            while !(lock.withLock { stopped }) {
                guard case .record(let record) = consumer.poll(timeout: .milliseconds(50)) else { continue }
                lock.withLock { _records.append(record) }
                try? consumer.store(processed: record)
            }
            finished.signal()
        }.start()
    }

    /// Stops polling, then closes the consumer (leaving the group) on the calling thread.
    func stop(close: Bool = true) {
        lock.withLock { stopped = true }
        finished.wait()
        if close { consumer.close() }
    }

    /// Waits until `condition` holds or `timeout` passes.
    static func wait(timeout: Duration, until condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition()
    }
}
