import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns `SIGTERM` and `SIGINT` into a `ShutdownRequest`.
///
/// Guarantees: once `install` returns, those signals no longer terminate the process (their
/// default action is replaced) and every one of them, whichever thread the kernel picks,
/// reaches the request on a Dispatch queue; the first requests shutdown with
/// `.signal(number)`, later ones change nothing (the shutdown deadline bounds the drain, not
/// a second signal). `uninstall()` restores the dispositions found at install.
public final class ShutdownSignals: Sendable {
    private struct Installed {
        let subscriber: Int
        let previous: [(signal: Int32, action: sigaction)]
    }

    private let installed: Mutex<Installed?>

    private init(_ installed: sending Installed) {
        self.installed = Mutex(installed)
    }

    /// Unblocks SIGINT and SIGTERM for the calling thread and the threads it starts later.
    ///
    /// A process inherits its parent's blocked signals: one started from a Dispatch worker
    /// thread (a test runner, some supervisors) would otherwise never see Ctrl-C or SIGTERM.
    /// Call it first thing in `main`, before any other thread exists.
    public static func unblockInheritedMask(_ signals: [Int32] = [SIGTERM, SIGINT]) {
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in signals { sigaddset(&mask, signal) }
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
    }

    /// Installs handlers for `signals` (default `SIGTERM` and `SIGINT`) that request `shutdown`.
    /// Throws `.signalHandlingFailure` if a disposition cannot be changed (e.g. `SIGKILL`);
    /// nothing stays installed then.
    public static func install(
        _ signals: [Int32] = [SIGTERM, SIGINT], requesting shutdown: ShutdownRequest
    ) throws(RuntimeError) -> ShutdownSignals {
        let installed = try SignalPipe.subscribe(Set(signals), shutdown) { (id: Int) throws(RuntimeError) -> Installed in
            var previous: [(signal: Int32, action: sigaction)] = []
            for number in signals {
                var replacement = SignalPipe.disposition
                var old = sigaction()
                guard sigaction(number, &replacement, &old) == 0 else {
                    let code = errno
                    restore(previous)
                    throw RuntimeError(.signalHandlingFailure, "cannot handle signal \(number)",
                                       context: ["signal": String(number), "errno": String(code)])
                }
                previous.append((number, old))
            }
            return Installed(subscriber: id, previous: previous)
        }
        return ShutdownSignals(installed)
    }

    /// Stops routing the signals to the request and restores the dispositions found at install.
    /// Idempotent.
    public func uninstall() {
        guard let state = installed.withLock({ value -> Installed? in
            defer { value = nil }
            return value
        }) else { return }
        SignalPipe.unsubscribe(state.subscriber) { Self.restore(state.previous) }
    }

    deinit { uninstall() }

    private static func restore(_ previous: [(signal: Int32, action: sigaction)]) {
        for (number, action) in previous.reversed() {
            var action = action
            sigaction(number, &action, nil)
        }
    }
}
