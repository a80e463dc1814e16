import Synchronization

/// What `/healthz` and `/readyz` report: updated by the loop, read by the HTTP server.
public final class WorkerStatus: Sendable {
    private struct State {
        var assigned = 0
        var restoring = 0
        var tablesReady = true
        var stopping = false
        var fatal: String?
        var backpressure: String?
    }

    private let state = Mutex(State())
    private let heartbeat: Heartbeat

    /// A status; `livenessWindow` bounds how long one loop turn may take.
    public init(livenessWindow: Duration = .seconds(30)) {
        heartbeat = Heartbeat(tolerance: livenessWindow)
    }

    func beat() { heartbeat.beat() }
    func setAssigned(_ count: Int) { state.withLock { $0.assigned = count } }
    func setRestoring(_ count: Int) { state.withLock { $0.restoring = count } }
    func setTablesReady(_ ready: Bool) { state.withLock { $0.tablesReady = ready } }
    func setStopping() { state.withLock { $0.stopping = true } }
    func setFatal(_ reason: String) { state.withLock { $0.fatal = reason } }
    /// Why reading is paused (outputs not delivered), or nil.
    func setBackpressure(_ reason: String?) { state.withLock { $0.backpressure = reason } }

    /// The loop turned recently, or is loading tables (before the loop starts), and no fatal
    /// error stopped it. A restore runs beside the loop, which turns on meanwhile: a loop
    /// stuck during a restore is not alive.
    public var isAlive: Bool {
        let (fatal, busy) = state.withLock { ($0.fatal != nil, !$0.tablesReady) }
        return !fatal && (busy || heartbeat.isAlive)
    }

    /// Ready, or why not: what `/readyz` answers.
    public var readiness: Readiness {
        notReadyReason.map { .notReady(reason: $0) } ?? .ready
    }

    /// Why the worker is not ready to process, or nil when it is: connected, assigned at
    /// least one partition, state restored, tables caught up, outputs delivered, not stopping.
    public var notReadyReason: String? {
        state.withLock { s in
            if let fatal = s.fatal { return "fatal error: \(fatal)" }
            if s.stopping { return "stopping" }
            if let backpressure = s.backpressure { return "inputs paused: \(backpressure)" }
            if !s.tablesReady { return "loading tables" }
            if s.restoring > 0 { return "restoring state of \(s.restoring) partition(s)" }
            if s.assigned == 0 { return "no partition assigned" }
            return nil
        }
    }
}
