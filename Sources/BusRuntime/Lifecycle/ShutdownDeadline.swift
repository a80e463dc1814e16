/// The moment a graceful shutdown must be over, fixed when the shutdown starts.
///
/// A value on the monotonic clock: wall-clock jumps never move it. Every step of the drain
/// (finish in-flight, flush, commit, leave the group) takes at most `remaining()`.
public struct ShutdownDeadline: Sendable, Hashable {
    /// When the deadline passes.
    public let expiry: ContinuousClock.Instant

    /// A deadline `duration` after `start` (default: now).
    public init(after duration: Duration, from start: ContinuousClock.Instant = .now) {
        expiry = start.advanced(by: duration)
    }

    /// Time left at `now`, never negative.
    public func remaining(at now: ContinuousClock.Instant = .now) -> Duration {
        max(.zero, now.duration(to: expiry))
    }

    /// Whether the deadline has passed at `now`.
    public func hasExpired(at now: ContinuousClock.Instant = .now) -> Bool {
        now >= expiry
    }
}
