/// A moment at which a flow asks to be woken for one entity (one state key).
///
/// A flow never stores timers apart from its state: it reads them from the state value
/// (`Flow.wakeTime(key:value:)`), so a timer is in the changelog with the value it belongs to,
/// and a restore brings it back. Time is the partition's clock, not the wall clock: the
/// latest input time seen in the partition, moved on by a wall-clock tick only while the
/// partition is idle. A timer whose moment the clock has reached is due.
public struct FlowTimer: Sendable, Hashable, CustomStringConvertible {
    /// The state key the timer belongs to.
    public var key: String
    /// The moment it asked for.
    public var due: Instant

    /// A timer for `key` at `due`.
    public init(key: String, due: Instant) {
        self.key = key
        self.due = due
    }

    /// The envelope a firing's outputs derive from, as an input's outputs derive from the
    /// input's envelope: its id is made of the worker, the key and the moment only, and its
    /// time is the moment, so a replayed firing gives byte-identical outputs whenever and
    /// however often it runs.
    public func envelope(worker: String) -> Envelope {
        let id = EventID.fromFacts("timer", [worker, key, due.description])
        return Envelope(id: id.rawValue, source: "bus/\(worker)", type: Self.eventType, time: due)
    }

    /// The CloudEvents type of a firing's envelope (never on the wire: outputs get their own).
    public static let eventType = "bus.timer"

    public var description: String { "\(key)@\(due)" }
}

/// The clock a timer runs on.
public enum TimerClock: Sendable, Equatable {
    /// The partition's clock (input time, idle ticks): retention, batch releases. A replay
    /// of the same inputs fires the same timers.
    case partition
    /// The wall clock: a request's deadline, which an asker waits for in real time. A quiet
    /// partition's clock would reach it only after the idle tick; a busy one's follows its
    /// inputs' times, which say nothing of how long the asker has waited.
    case wall
}
