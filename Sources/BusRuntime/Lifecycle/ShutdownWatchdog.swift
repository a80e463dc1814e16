import Dispatch
import Synchronization

/// Runs an action if a shutdown is still going at its deadline, e.g. logging why and exiting
/// non-zero, because a hung close (librdkafka 2.0.2 can hang leaving a group) must not keep a
/// pod past its grace period.
///
/// Guarantees: the action runs at most once, on a private queue, and never after `disarm()`
/// has returned.
public final class ShutdownWatchdog: Sendable {
    /// Shared with the timer's handler, which cannot capture `self` before `init` ends.
    private final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    private let timer: Mutex<(any DispatchSourceTimer)?>
    private let fired = Flag()

    /// Arms the watchdog for `deadline`.
    public init(deadline: ShutdownDeadline, onExpiry action: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "bus.runtime.shutdown-watchdog")
        let source = DispatchSource.makeTimerSource(queue: queue)
        let nanoseconds = max(0, min(deadline.remaining() / .nanoseconds(1), Double(Int.max / 2)))
        source.schedule(deadline: .now() + .nanoseconds(Int(nanoseconds)))
        source.setEventHandler { [fired] in
            guard !fired.value.exchange(true, ordering: .acquiringAndReleasing) else { return }
            action()
        }
        source.resume()
        timer = Mutex(source)
    }

    /// Stops the watchdog; returns false if the action already ran (or is running).
    @discardableResult
    public func disarm() -> Bool {
        let source = timer.withLock { value -> (any DispatchSourceTimer)? in
            defer { value = nil }
            return value
        }
        guard let source else { return !fired.value.load(ordering: .acquiring) }
        // Claim the flag first: if the handler has not started, it now never runs the action.
        let alreadyFired = fired.value.exchange(true, ordering: .acquiringAndReleasing)
        source.cancel()
        return !alreadyFired
    }

    deinit { disarm() }
}
