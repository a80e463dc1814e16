import Synchronization

/// Liveness for `/healthz`: the processing loop beats on every turn, and it counts as alive
/// while the last beat is more recent than `tolerance`.
///
/// Guarantees: `beat()` is lock-free and cheap enough for every poll; a loop that hangs (a
/// stuck handler, a deadlock) stops beating and so turns `/healthz` to 503.
public final class Heartbeat: Sendable {
    /// How long without a beat still counts as alive.
    public let tolerance: Duration
    private let origin = ContinuousClock.now
    private let lastBeat = Atomic<Int64>(0)  // nanoseconds since `origin`

    /// A heartbeat that counts as alive from creation until `tolerance` passes without a beat.
    public init(tolerance: Duration) {
        self.tolerance = tolerance
    }

    /// Records that the loop is alive now.
    public func beat() {
        lastBeat.store(Self.nanoseconds(origin.duration(to: .now)), ordering: .releasing)
    }

    /// Whether the last beat is within `tolerance` of now.
    public var isAlive: Bool {
        let age = origin.duration(to: .now) - .nanoseconds(lastBeat.load(ordering: .acquiring))
        return age <= tolerance
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
