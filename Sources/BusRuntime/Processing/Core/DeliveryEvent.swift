import BusKafka
import Synchronization

/// What a produced record was for, carried to its delivery report.
enum DeliveryPurpose: Sendable, Hashable {
    /// Outputs of these inputs (several when a coalesced output covers several inputs).
    case outputs([OffsetTracker.Ticket])
    /// One record of a changelog batch of a state partition.
    case changelog(batch: UInt64, partition: Int32)
    /// The dead letter of this input.
    case deadLetter(OffsetTracker.Ticket)
    /// An output of an operator's control request, or an answer to an operator's command
    /// sent once the command's state is written: tied to no input.
    case control
    /// An output of work tied to no input (a timer's firing, an operator's command, a table
    /// change, a restore's catch-up): its state changes wait for its outputs, in the ledger.
    case work(UInt64)
}

/// A delivery report, handed from the producer's thread to the processing thread.
struct DeliveryEvent: Sendable, Equatable {
    let purpose: DeliveryPurpose
    let record: ProducerRecord
    let attempt: Int
    let result: Result<DeliveryReport, KafkaError>
}

/// A delivery to try again once its delay has passed.
struct PendingRetry: Sendable, Equatable {
    let due: ContinuousClock.Instant
    let purpose: DeliveryPurpose
    let record: ProducerRecord
    let attempt: Int
}

/// Where the producer's thread leaves delivery reports for the processing thread.
final class DeliveryInbox: Sendable {
    private let events = Mutex<[DeliveryEvent]>([])

    func post(_ event: DeliveryEvent) {
        events.withLock { $0.append(event) }
    }

    /// Every report posted since the last call, in arrival order.
    func takeAll() -> [DeliveryEvent] {
        events.withLock { events in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }
}
