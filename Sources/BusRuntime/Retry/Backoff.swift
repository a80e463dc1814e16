import Foundation

/// Capped exponential backoff with jitter, for retrying transient failures.
///
/// A value: it holds the policy, not the attempt count, so the caller keeps one per waiting
/// partition and the same attempt always gives a delay within the same bounds. The random
/// source is passed in, so tests are exact and production uses `SystemRandomNumberGenerator`.
public struct Backoff: Sendable, Hashable {
    /// How the delay is spread so that many waiting clients do not retry in lockstep.
    public enum Jitter: Sendable, Hashable {
        /// Exactly the capped exponential delay.
        case none
        /// Uniform between half the delay and the delay: never retries too fast, still spreads.
        case equal
        /// Uniform between zero and the delay: spreads most, may retry at once.
        case full
    }

    /// The delay before the first retry (attempt 1), before jitter.
    public var initial: Duration
    /// The factor between consecutive delays; values below 1 are treated as 1.
    public var multiplier: Double
    /// The largest delay, before jitter.
    public var maximum: Duration
    /// How the delay is randomised.
    public var jitter: Jitter

    /// The runtime's default for broker and produce retries: 100 ms doubling up to 10 s, equal jitter.
    public static let transientFailures = Backoff(
        initial: .milliseconds(100), multiplier: 2, maximum: .seconds(10), jitter: .equal
    )

    /// A policy. Negative durations are treated as zero; `maximum` below `initial` caps at `maximum`.
    public init(initial: Duration, multiplier: Double = 2, maximum: Duration, jitter: Jitter = .equal) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The delay before the capped exponential jitter: `min(maximum, initial × multiplier^(attempt−1))`.
    /// Attempts below 1 count as 1. Never overflows, whatever the attempt.
    public func ceiling(forAttempt attempt: Int) -> Duration {
        let cap = max(0, Self.seconds(maximum))
        let start = max(0, Self.seconds(initial))
        let factor = multiplier.isFinite ? max(1, multiplier) : 1
        guard attempt > 1, factor > 1, start > 0, start < cap else { return Self.duration(seconds: min(start, cap)) }
        // pow overflows to +infinity for huge attempts, and min() then picks the cap: no trap.
        let delay = start * pow(factor, Double(attempt - 1))
        return Self.duration(seconds: min(delay, cap))
    }

    /// The delay to wait before retry number `attempt` (1 for the first retry), with jitter,
    /// always between 0 and `ceiling(forAttempt:)`.
    public func delay(forAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = Self.seconds(ceiling(forAttempt: attempt))
        // 53 random bits scaled into [0, 1): exact and the same on every platform.
        let unit = Double(generator.next() >> 11) * 0x1p-53
        switch jitter {
        case .none: return Self.duration(seconds: ceiling)
        case .equal: return Self.duration(seconds: ceiling / 2 + ceiling / 2 * unit)
        case .full: return Self.duration(seconds: ceiling * unit)
        }
    }

    /// The jittered delay with the system's random source.
    public func delay(forAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(forAttempt: attempt, using: &generator)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// Rounded to whole nanoseconds, so table tests compare exact values.
    private static func duration(seconds: Double) -> Duration {
        let nanoseconds = (seconds * 1e9).rounded()
        guard !nanoseconds.isNaN else { return .zero }
        guard nanoseconds.isFinite, nanoseconds < Double(Int64.max) else { return .nanoseconds(Int64.max) }
        return .nanoseconds(Int64(max(0, nanoseconds)))
    }
}
