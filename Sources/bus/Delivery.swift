import BusKafka
import Foundation
import Synchronization

/// Produces records one by one and waits for each acknowledgement: what an operator command
/// needs (a partition and an offset to print, or the reason it failed). The producer's
/// `message.timeout.ms` bounds each wait.
struct Delivery {
    let producer: KafkaProducer

    /// Where the broker stored `record`, or the reason it did not.
    func send(_ record: ProducerRecord) throws(KafkaError) -> DeliveryReport {
        let outcome = Mutex<Result<DeliveryReport, KafkaError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        producer.enqueue(record) { result in
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
    }
}
