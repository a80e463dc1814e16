import Dispatch
import Synchronization

/// A one-way latch saying "stop": set once (by a signal, or by the worker itself), then read
/// by the processing loop however suits it: a cheap poll, a blocking wait, or an `await`.
///
/// Guarantees: thread-safe; the first reason wins and later requests change nothing; every
/// waiter, present or future, sees the request.
public final class ShutdownRequest: Sendable {
    /// Why shutdown was requested.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// A signal arrived (`SIGTERM` from the orchestrator, `SIGINT` from a terminal).
        case signal(Int32)
        /// The worker asked for it, e.g. after a fatal client error; the text is a short code.
        case requested(String)

        /// `signal 15` or the requested code.
        public var description: String {
            switch self {
            case .signal(let number): "signal \(number)"
            case .requested(let code): code
            }
        }
    }

    private struct State {
        var reason: Reason?
        var nextWaiter = 0
        var continuations: [Int: CheckedContinuation<Reason?, Never>] = [:]
        var semaphores: [Int: DispatchSemaphore] = [:]
    }

    // The flag lets the hot loop poll without taking the lock.
    private let flag = Atomic<Bool>(false)
    private let state = Mutex(State())

    /// A request not yet made.
    public init() {}

    /// Whether shutdown has been requested. Lock-free: cheap enough to check per record.
    public var isRequested: Bool { flag.load(ordering: .acquiring) }

    /// The reason, once requested.
    public var reason: Reason? { state.withLock { $0.reason } }

    /// Requests shutdown. Returns true for the first request, false if one was already made
    /// (whose reason is kept).
    @discardableResult
    public func request(_ reason: Reason) -> Bool {
        let woken: (continuations: [CheckedContinuation<Reason?, Never>], semaphores: [DispatchSemaphore])? =
            state.withLock { state in
                guard state.reason == nil else { return nil }
                state.reason = reason
                defer {
                    state.continuations = [:]
                    state.semaphores = [:]
                }
                return (Array(state.continuations.values), Array(state.semaphores.values))
            }
        guard let woken else { return false }
        flag.store(true, ordering: .releasing)
        // Resume outside the lock: a resumed task may run at once and read the state.
        for continuation in woken.continuations { continuation.resume(returning: reason) }
        for semaphore in woken.semaphores { semaphore.signal() }
        return true
    }

    /// Waits until shutdown is requested and returns why; returns nil if the waiting task is
    /// cancelled first.
    public func wait() async -> Reason? {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Reason?, Never>) in
                let reason: Reason?? = state.withLock { state in
                    if let reason = state.reason { return .some(reason) }
                    if Task.isCancelled { return .some(nil) }
                    state.continuations[id] = continuation
                    return .none
                }
                if let reason { continuation.resume(returning: reason) }
            }
        } onCancel: {
            let continuation = state.withLock { $0.continuations.removeValue(forKey: id) }
            continuation?.resume(returning: nil)
        }
    }

    /// Blocks the calling thread until shutdown is requested or `timeout` passes; returns the
    /// reason, or nil on timeout. For loops that run on their own thread.
    public func wait(timeout: Duration) -> Reason? {
        let semaphore = DispatchSemaphore(value: 0)
        let (id, early): (Int, Reason?) = state.withLock { state in
            if let reason = state.reason { return (0, reason) }
            state.nextWaiter += 1
            state.semaphores[state.nextWaiter] = semaphore
            return (state.nextWaiter, nil)
        }
        if let early { return early }
        let nanoseconds = max(0, min(timeout / .nanoseconds(1), Double(Int.max / 2)))
        let result = semaphore.wait(timeout: .now() + .nanoseconds(Int(nanoseconds)))
        if result == .timedOut {
            // Deregister; if the request raced in meanwhile, it signalled a semaphore nobody
            // waits on any more, which is harmless.
            state.withLock { _ = $0.semaphores.removeValue(forKey: id) }
        }
        return reason
    }
}
