import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process-wide route from a signal handler to Dispatch: the self-pipe pattern.
///
/// Why not `DispatchSource.makeSignalSource` with `SIG_IGN`: on Linux, swift-corelibs-libdispatch
/// (src/event/event_epoll.c, `_dispatch_muxnote_create`) installs its own handler with
/// `sigaction`, asynchronously on its manager thread and only the first time a process watches
/// a signal; until then `SIG_IGN` discards the signal, and once anyone restores the disposition
/// Dispatch never installs it again (its `signals_with_unotes` set is never cleared). The first
/// was seen here: a signal sent just after resuming the source was lost; the second follows
/// from that code. A handler of our own that writes the signal number to a pipe works whichever
/// thread receives the signal, is in place when `install` returns, and can be installed and
/// restored any number of times; a Dispatch read source on the pipe hands the signal to
/// ordinary code.
enum SignalPipe {
    private struct Subscriber {
        let signals: Set<Int32>
        let request: ShutdownRequest
    }

    private struct State {
        var readSource: (any DispatchSourceRead)?
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
    }

    /// Serialises installs and uninstalls; holds who wants which signal.
    private static let state = Mutex(State())

    /// The pipe's write end, read by the signal handler: an atomic load is async-signal-safe.
    fileprivate static let writeEnd = Atomic<Int32>(-1)

    /// The handler: writes the signal number, nothing else (only async-signal-safe calls).
    private static let handler: @convention(c) (Int32) -> Void = { number in
        let saved = errno
        let fd = SignalPipe.writeEnd.load(ordering: .acquiring)
        if fd >= 0 {
            var byte = UInt8(truncatingIfNeeded: number)
            // Non-blocking: if 64 KiB of signals are unread, one more changes nothing.
            _ = write(fd, &byte, 1)
        }
        errno = saved
    }

    /// The disposition that routes a signal through the pipe.
    static var disposition: sigaction {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = handler
        #else
        action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART  // do not make blocking calls elsewhere fail with EINTR
        return action
    }

    /// Registers `request` for `signals`, creating the pipe on first use, then runs `body`
    /// (which installs the dispositions) under the same lock. Returns the subscriber id.
    static func subscribe<Result>(
        _ signals: Set<Int32>, _ request: ShutdownRequest,
        _ body: (Int) throws(RuntimeError) -> Result
    ) throws(RuntimeError) -> Result {
        try state.withLock { (state: inout State) throws(RuntimeError) -> Result in
            if state.readSource == nil { state.readSource = try openPipe() }
            state.nextID += 1
            let id = state.nextID
            state.subscribers[id] = Subscriber(signals: signals, request: request)
            do throws(RuntimeError) {
                return try body(id)
            } catch {
                state.subscribers[id] = nil
                throw error
            }
        }
    }

    /// Removes a subscriber, running `body` (which restores dispositions) under the lock.
    static func unsubscribe(_ id: Int, _ body: () -> Void) {
        state.withLock { state in
            state.subscribers[id] = nil
            body()
        }
    }

    /// The pipe lives as long as the process: a handler may still run after any uninstall.
    private static func openPipe() throws(RuntimeError) -> any DispatchSourceRead {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw RuntimeError(.signalHandlingFailure, "cannot create the signal pipe", context: ["errno": String(errno)])
        }
        for fd in ends {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        let readEnd = ends[0]
        let source = DispatchSource.makeReadSource(fileDescriptor: readEnd, queue: DispatchQueue(label: "bus.runtime.signals"))
        source.setEventHandler { deliver(readingFrom: readEnd) }
        source.resume()
        writeEnd.store(ends[1], ordering: .releasing)
        return source
    }

    private static func deliver(readingFrom fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return }  // EAGAIN: drained
            let numbers = Set(buffer[..<count].map { Int32($0) })
            let targets = state.withLock { state in
                state.subscribers.values.filter { !$0.signals.isDisjoint(with: numbers) }
            }
            // Request outside the lock: waking waiters must not hold up installs.
            for target in targets {
                guard let number = numbers.sorted().first(where: target.signals.contains) else { continue }
                target.request.request(.signal(number))
            }
        }
    }
}
