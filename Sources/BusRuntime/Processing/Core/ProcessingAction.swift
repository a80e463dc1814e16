import BusKafka
import BusSchema

/// What the processing core asks its driver to do. The driver performs actions in order,
/// outside the core, and reports what came of them as new events.
enum ProcessingAction<State: Sendable & Equatable>: Sendable, Equatable {
    /// Hands a record to the producer; its delivery report comes back as `delivered`.
    case produce(ProducerRecord, DeliveryPurpose, attempt: Int)
    /// Stores these offsets (last done + 1) for the next commit.
    case storeOffsets([TopicPartition: Int64])
    /// Stops fetching these partitions.
    case pause([TopicPartition])
    /// Fetches these partitions again.
    case resume([TopicPartition])
    /// Commits stored offsets: in the background, or waiting for the answer.
    case commit(wait: Bool)
    /// Puts a key of a partition's in-memory state back (an input whose output was refused
    /// is undone, so replaying its dead letter produces the output).
    case setState(partition: Int32, key: String, value: State?)
    /// Runs the flow's `wake` for these due timers of a partition; the driver hands back what
    /// came of them with `ProcessingCore.woken`.
    case wake(partition: Int32, timers: [FlowTimer])
    /// Something operators see: a metric, a log event, readiness.
    case report(ProcessingReport)
    /// The worker cannot go on without losing data: stop with this error.
    case stop(RuntimeError)
}

/// What happened, for metrics, logs and readiness. Carries names, numbers and codes only.
enum ProcessingReport: Sendable, Equatable {
    /// A record was delivered to `topic`.
    case delivered(topic: String)
    /// An input goes to the dead-letter topic with this reason code.
    case deadLettered(OffsetTracker.Ticket, code: String, field: String?)
    /// Its dead letter was cut to fit Kafka's record limit (`bytes`: the original value's size).
    case deadLetterTruncated(OffsetTracker.Ticket, bytes: Int)
    /// Kafka refused even the smallest dead letter: the input is given up.
    case deadLetterLost(OffsetTracker.Ticket, errorCode: String)
    /// A delivery failed for a while and is tried again after `delay`.
    case retrying(topic: String, attempt: Int, delay: Duration, errorCode: String)
    /// Kafka refused a record outright.
    case refused(topic: String, errorCode: String)
    /// A record arrived at or behind an offset already seen: skipped.
    case outOfOrder(TopicPartition, offset: Int64)
    /// A timer's firing failed in the flow (`reason`: the error's type); its changes are dropped.
    case timerFailed(partition: Int32, key: String, reason: String)
    /// Inputs in flight reached their cap (`reason` says which): reading is paused; nil once
    /// they are back under half of it.
    case backpressure(reason: String?)
}
