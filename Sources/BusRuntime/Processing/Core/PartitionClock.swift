import BusSchema

/// The time of one state partition, as its timers see it.
///
/// Mostly input time: the latest CloudEvents `time` among the partition's inputs, never going
/// back, so a replay of the same inputs reaches the same moments and fires the same timers.
/// While the partition is idle (no input for `idleAfter`), the wall clock moves it on, so a
/// quiet partition still releases its batches and forgets its finished entities; a firing's
/// outputs get ids from the key and the timer's moment, never from the wall clock, so that
/// too replays identically.
public struct PartitionClock: Sendable, Equatable {
    /// The latest input time seen.
    public private(set) var inputTime: Instant?
    /// The moment the clock reached, input or idle tick.
    public private(set) var now: Instant?
    private var lastInput: ContinuousClock.Instant?

    /// A clock that has seen nothing.
    public init() {}

    /// An input of time `time` arrived at `arrival`.
    public mutating func observe(input time: Instant, at arrival: ContinuousClock.Instant) {
        lastInput = arrival
        if inputTime.map({ time > $0 }) ?? true { inputTime = time }
        advance(to: time)
    }

    /// A tick at `wall` (the wall clock at the monotonic `instant`): moves the clock to the
    /// wall clock when no input came for `idleAfter`, nil meaning never. Returns the clock.
    @discardableResult
    public mutating func tick(wall: Instant, at instant: ContinuousClock.Instant, idleAfter: Duration?) -> Instant? {
        if let idleAfter, lastInput.map({ instant - $0 >= idleAfter }) ?? true { advance(to: wall) }
        return now
    }

    private mutating func advance(to moment: Instant) {
        if now.map({ moment > $0 }) ?? true { now = moment }
    }
}
