/// A flow's business rules, as the worker runtime runs them: pure Swift, no Kafka.
///
/// The runtime reads the flow's input topics, decodes and validates each record into a
/// `FlowInput`, calls `handle` with the state of the input's partition and the global tables,
/// and then, in this order: produces the returned outputs, writes the state changes to the
/// worker's changelog once those outputs are acknowledged, and only then lets the input's
/// offset be committed. A redelivered input is handled again: flows use their state to make
/// that harmless, and outputs get deterministic ids so readers can deduplicate.
///
/// A flow rejects an input it cannot process by throwing (`FlowRejection`, or the schema
/// module's `SchemaError`): the runtime dead-letters the record with the reason and goes on,
/// and no state change of that call is kept.
public protocol Flow: Sendable {
    /// The value a flow keeps per state key in a partition's state store.
    associatedtype State: Codable & Sendable & Equatable = NoState

    /// The worker's name, e.g. "order-ingest": its consumer group, its dead-letter topic
    /// `bus.dlq.<name>` and its changelog `bus.<name>.state`.
    var name: String { get }
    /// The topics read as streams, co-partitioned: partition N of each feeds state partition N.
    var inputs: [String] { get }
    /// Compacted topics read whole by every instance (latest message per key).
    var tables: [String] { get }
    /// The (topic, message type) pairs read from `inputs`, each with what its record key is.
    /// The runtime checks a `.messageKey` input's key against the message's key field.
    var handlers: [FlowHandler] { get }
    /// The (topic, message type) pairs the flow may write.
    var writes: [TopicMessage] { get }

    /// Handles one input. Mutate `state` to change the partition's state; return the outputs.
    func handle(_ input: FlowInput, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput]

    /// Answers an operator's control request (a full resync, …) for one assigned partition.
    /// Called once per assigned partition; state changes made here are kept and written to
    /// the changelog like those of an input.
    func control(_ request: FlowControl, state: inout FlowState<State>, tables: TableLookup) -> [FlowOutput]

    /// Tables among `tables` whose new records the flow is told of (`tableChanged`): what a
    /// state waits for may arrive there (a customer's link, a catalogue entry).
    var watchedTables: [String] { get }

    /// A record of a watched table was read (`record.topic`, `record.key`; the table already
    /// holds it). Called once per assigned partition, as `control` is: state changes are kept
    /// and written to the changelog; outputs' ids derive from the record's envelope, so every
    /// instance and every replay of the same record derives the same ids. A throw drops that
    /// partition's changes and is reported. Records read while a partition was owned elsewhere
    /// are not told again: the flow looks again when it restores the partition (`restored`).
    func tableChanged(_ record: FlowInput, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput]

    /// This instance restored a partition's state (at start, or when a rebalance gave it the
    /// partition), its watched tables already loaded: what the state waits for there may have
    /// been published while the partition was owned elsewhere, or read before a crash lost
    /// the effect (such records are not told again, see `tableChanged`). Called once, for that
    /// partition, as `tableChanged` is; outputs' ids derive from `cause`, which names the
    /// partition and the moment of the restore.
    func restored(cause: Envelope, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput]

    /// When the entity under `key` wants to be woken, read from its state value (so the timer
    /// is kept, written and restored with the value): nil for never. The runtime asks after
    /// every change of a key, and for every key after a restore.
    func wakeTime(key: String, value: State) -> Instant?

    /// The timer of `timer.key` is due: the partition's clock reached `timer.due`. Mutate
    /// `state` as in `handle` (removing a key writes its tombstone to the changelog); the
    /// outputs' ids derive from `timer.envelope(worker:)`. A throw drops the firing's changes
    /// and is reported; the timer is asked again after the key's next change.
    func wake(_ timer: FlowTimer, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput]

    /// The clock `key`'s timer runs on: the partition's (the default) or, for a request
    /// waiting on another input (a price query waiting for the ERP), the wall clock.
    func timerClock(key: String, value: State) -> TimerClock

    /// Whether a tombstone (a null value) on an input topic reaches `deleted`: a deletion of
    /// the entity on a compacted input (an article deleted in the ERP). When false (the
    /// default), a tombstone is dead-lettered (`tombstone`).
    var readsDeletions: Bool { get }

    /// The entity under `key` was deleted on `topic`. As `handle`; outputs derive their ids
    /// from `cause` (made of the record's topic, partition and offset; its time is the record's).
    func deleted(key: String, topic: String, cause: Envelope, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput]

    /// The live queries this flow answers (see `FlowRequest`): each request topic is one of
    /// `inputs`, with a `.flowDefined` handler, and each answer row one of `writes`.
    var requests: [RequestRoute] { get }

    /// The answer to a request, from the state of every partition this instance holds and
    /// the tables; when `request.isExpired`, the answer says `timeout` (a request is never
    /// dropped unanswered) and nothing else. No state changes: requests are not state. A
    /// throw dead-letters the request (a `FlowRejection` naming the field).
    func answer(_ request: FlowRequest, state: StateLookup<State>, tables: TableLookup) throws -> any BusMessage

    /// The operators' commands this flow takes from `bus.control` (records keyed by its name);
    /// its queries there are `requests` whose request topic is `Topics.control`.
    var commands: [any EntityCommand.Type] { get }

    /// An operator's command (`input.message` is one of `commands`), called once, on the
    /// partition that holds the command's `entityKey`, by the instance that owns it. As
    /// `handle`: state changes are kept and written to the changelog, outputs' ids derive from
    /// the command's envelope. The flow answers the operator among its outputs (on
    /// `Topics.controlReplies` or the command's `ce_replyto`): the runtime sends the answer
    /// only once the command's other outputs and its state changes are written, so an answer
    /// means durable, and a command left unanswered by a crash is the operator's to send again
    /// (commands must be idempotent). A throw drops the call's changes and is reported.
    func command(_ input: FlowInput, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput]
}

extension Flow {
    /// No global tables.
    public var tables: [String] { [] }

    /// Nothing declared: every input's key is checked against its message's key field.
    public var handlers: [FlowHandler] { [] }

    /// Nothing declared.
    public var writes: [TopicMessage] { [] }

    /// No control requests handled.
    public func control(_ request: FlowControl, state: inout FlowState<State>, tables: TableLookup) -> [FlowOutput] { [] }

    /// No table watched.
    public var watchedTables: [String] { [] }

    /// Nothing to do when a table changes.
    public func tableChanged(_ record: FlowInput, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput] { [] }

    /// Nothing to look at again after a restore.
    public func restored(cause: Envelope, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput] { [] }

    /// No timers.
    public func wakeTime(key: String, value: State) -> Instant? { nil }

    /// Every timer on the partition's clock.
    public func timerClock(key: String, value: State) -> TimerClock { .partition }

    /// Nothing to do when woken.
    public func wake(_ timer: FlowTimer, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput] { [] }

    /// Tombstones are dead-lettered.
    public var readsDeletions: Bool { false }

    /// Nothing to do for a deletion.
    public func deleted(key: String, topic: String, cause: Envelope, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput] { [] }

    /// No live queries.
    public var requests: [RequestRoute] { [] }

    /// Never asked: a flow without `requests` gets no request.
    public func answer(_ request: FlowRequest, state: StateLookup<State>, tables: TableLookup) throws -> any BusMessage {
        throw FlowRejection(field: nil, reason: "\(name) answers no request")
    }

    /// No operator commands.
    public var commands: [any EntityCommand.Type] { [] }

    /// Never called: a flow without `commands` gets none.
    public func command(_ input: FlowInput, state: inout FlowState<State>, tables: TableLookup) throws -> [FlowOutput] {
        throw FlowRejection(field: nil, reason: "\(name) takes no operator command")
    }

    /// The dead-letter topic of this worker.
    public var deadLetterTopic: String { Topics.deadLetters(of: name) }

    /// The changelog topic of this worker's state.
    public var changelogTopic: String { Topics.changelog(of: name) }

    /// Whether this flow keeps state (and so a changelog).
    public var isStateful: Bool { State.self != NoState.self }
}

/// The state of a flow that keeps none.
public struct NoState: Codable, Sendable, Equatable {}

/// An operator's request to a worker, from `bus.control`.
public enum FlowControl: Sendable, Equatable {
    /// Re-publish what the flow's state says is current (e.g. every selected article):
    /// everything when `keys` is nil, else only those entity keys.
    case resync(keys: [String]?)
    /// Anonymise or remove what the state holds of an erased person (from `bus.erasures`).
    /// Asked again for every partition a worker takes over, and after every start: an
    /// answer must change nothing and send nothing once the person's data is gone.
    case erase(ErasureNotice)
}
