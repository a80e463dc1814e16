import BusKafka
import BusRuntime
import BusSchema
import Foundation

/// A worker running on a thread of its own for a benchmark, until `stop`.
final class BenchWorker<F: Flow>: @unchecked Sendable {
    private let stopFlag = StopFlag()
    private let done = DispatchSemaphore(value: 0)

    /// Starts `worker`.
    init(_ worker: Worker<F>) {
        Thread { [stopFlag, done] in
            try? worker.run { stopFlag.isSet }
            done.signal()
        }.start()
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
