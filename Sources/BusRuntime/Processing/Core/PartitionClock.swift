import BusSchema

/// The time of one state partition, as its timers see it.
///
/// Mostly input time: the latest CloudEvents `time` among the partition's inputs, never going
/// back, so a replay of the same inputs reaches the same moments and fires the same timers.
/// While the partition is idle (no input for `idleAfter`), it runs on at the wall clock's
/// pace from the last input's time, so a quiet partition still releases its batches and
/// forgets its finished entities; a firing's outputs get ids from the key and the timer's
/// moment, never from the wall clock, so that too replays identically.
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

    /// A tick at the monotonic `instant`: when no input came for `idleAfter` (nil: never),
    /// the clock runs on from the last input's time at the wall clock's pace, so a quiet
    /// partition's timers still fire, and a producer whose clock is off (or test data dated
    /// years ago) does not make the clock jump. Before its first input a partition's clock
    /// does not move. Returns the clock.
    @discardableResult
    public mutating func tick(at instant: ContinuousClock.Instant, idleAfter: Duration?) -> Instant? {
        guard let idleAfter, let inputTime, let lastInput, instant - lastInput >= idleAfter else { return now }
        let elapsed = (instant - lastInput).components.seconds
        advance(to: inputTime.adding(seconds: elapsed))
        return now
    }

    /// Moves the clock to `moment` (never back): a simulation's quiet night.
    public mutating func jump(to moment: Instant) {
        advance(to: moment)
    }

    private mutating func advance(to moment: Instant) {
        if now.map({ moment > $0 }) ?? true { now = moment }
    }
}
