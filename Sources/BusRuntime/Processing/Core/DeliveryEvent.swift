import BusKafka
import Synchronization

/// What a produced record was for, carried to its delivery report.
enum DeliveryPurpose: Sendable, Hashable {
    /// Outputs of these inputs (several when a coalesced output covers several inputs).
    case outputs([OffsetTracker.Ticket])
    /// One record of a changelog batch of an input partition.
    case changelog(batch: UInt64, partition: TopicPartition)
    /// The dead letter of this input.
    case deadLetter(OffsetTracker.Ticket)
    /// An output of an operator's control request: tied to no input.
    case control
    /// An output of a timer's firing (or of a command or table change): the firing's
    /// changelog waits for its outputs.
    case timer(firing: UInt64)
    /// A changelog record of a firing, a command or a table change, written once its outputs
    /// were delivered: tied to no input, but state all the same.
    case state(partition: Int32)
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
