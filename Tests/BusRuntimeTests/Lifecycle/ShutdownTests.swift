import Dispatch
import Foundation
import Testing
import BusRuntime

struct ShutdownRequestTests {
    @Test("the first request wins and polling sees it")
    func firstRequestWins() {
        let shutdown = ShutdownRequest()
        #expect(!shutdown.isRequested)
        #expect(shutdown.reason == nil)
        #expect(shutdown.request(.signal(SIGTERM)))
        #expect(!shutdown.request(.requested("fatal_kafka_error")))
        #expect(shutdown.isRequested)
        #expect(shutdown.reason == .signal(SIGTERM))
    }

    @Test("an awaiting task is woken by a request from another thread")
    func awaitRequest() async {
        let shutdown = ShutdownRequest()
        async let waited = shutdown.wait()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(20)) {
            shutdown.request(.requested("test"))
        }
        #expect(await waited == .requested("test"))
        // A wait after the request returns at once.
        #expect(await shutdown.wait() == .requested("test"))
    }

    @Test("a cancelled wait returns nil")
    func cancelledWait() async {
        let shutdown = ShutdownRequest()
        let task = Task { await shutdown.wait() }
        try? await Task.sleep(for: .milliseconds(20))
        task.cancel()
        #expect(await task.value == nil)
        #expect(!shutdown.isRequested)
    }

    @Test("a blocking wait times out, or returns the reason")
    func blockingWait() {
        let shutdown = ShutdownRequest()
        #expect(shutdown.wait(timeout: .milliseconds(30)) == nil)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(20)) {
            shutdown.request(.signal(SIGINT))
        }
        #expect(shutdown.wait(timeout: .seconds(5)) == .signal(SIGINT))
        #expect(shutdown.wait(timeout: .zero) == .signal(SIGINT))
    }
}

/// Sends real signals to this test process. That is safe because each test installs the
/// handler before sending the signal and uninstalls it only after the request was seen, i.e.
/// after the signal was consumed; the suite is serialized so two tests never race on one
/// signal's disposition. Signals go to the process (`kill(getpid(), …)`), as an orchestrator
/// sends them: `raise` targets the calling thread, and test bodies run on Dispatch worker
/// threads, which block all signals, so a raised signal would stay pending there forever.
@Suite(.serialized)
struct ShutdownSignalsTests {
    @Test("a signal to the process requests shutdown", arguments: [SIGTERM, SIGINT])
    func signalRequestsShutdown(number: Int32) throws {
        let shutdown = ShutdownRequest()
        let signals = try ShutdownSignals.install(requesting: shutdown)
        defer { signals.uninstall() }
        kill(getpid(), number)
        #expect(shutdown.wait(timeout: .seconds(5)) == .signal(number))
        // A second signal is harmless and keeps the first reason.
        kill(getpid(), SIGTERM)
        Thread.sleep(forTimeInterval: 0.05)
        #expect(shutdown.reason == .signal(number))
    }

    @Test("uninstall restores the previous disposition")
    func restoresDisposition() throws {
        signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, SIG_DFL) }
        let shutdown = ShutdownRequest()
        let signals = try ShutdownSignals.install([SIGUSR2], requesting: shutdown)
        kill(getpid(), SIGUSR2)
        #expect(shutdown.wait(timeout: .seconds(5)) == .signal(SIGUSR2))
        signal(SIGUSR2, SIG_DFL)  // changed behind its back: uninstall must put back SIG_IGN
        signals.uninstall()
        signals.uninstall()
        #expect(handlerAddress(SIGUSR2) == unsafeBitCast(SIG_IGN, to: Int.self))
    }

    @Test("installing again after an uninstall works, and two installs both see the signal")
    func reinstall() throws {
        for _ in 0..<3 {
            let first = ShutdownRequest()
            let second = ShutdownRequest()
            let outer = try ShutdownSignals.install([SIGUSR1], requesting: first)
            let inner = try ShutdownSignals.install([SIGUSR1], requesting: second)
            kill(getpid(), SIGUSR1)
            #expect(first.wait(timeout: .seconds(5)) == .signal(SIGUSR1))
            #expect(second.wait(timeout: .seconds(5)) == .signal(SIGUSR1))
            inner.uninstall()
            outer.uninstall()
        }
        #expect(handlerAddress(SIGUSR1) == 0)  // back to SIG_DFL
    }

    @Test("an invalid signal number is an error")
    func invalidSignal() {
        let error = #expect(throws: RuntimeError.self) {
            try ShutdownSignals.install([SIGKILL], requesting: ShutdownRequest())
        }
        #expect(error?.code == .signalHandlingFailure)
    }

    private func handlerAddress(_ number: Int32) -> Int {
        var current = sigaction()
        sigaction(number, nil, &current)
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
    }
}

struct ShutdownDeadlineTests {
    static let start = ContinuousClock.now

    @Test("remaining time counts down to zero and never below", arguments: [
        (Duration.zero, Duration.seconds(20), false),
        (.seconds(5), .seconds(15), false),
        (.milliseconds(19_999), .milliseconds(1), false),
        (.seconds(20), .zero, true),
        (.seconds(300), .zero, true),
    ])
    func remaining(elapsed: Duration, left: Duration, expired: Bool) {
        let deadline = ShutdownDeadline(after: .seconds(20), from: Self.start)
        #expect(deadline.remaining(at: Self.start + elapsed) == left)
        #expect(deadline.hasExpired(at: Self.start + elapsed) == expired)
    }
}

struct ShutdownWatchdogTests {
    @Test("the action runs once when the deadline passes")
    func fires() {
        let count = Locked(0)
        let ran = DispatchSemaphore(value: 0)
        let watchdog = ShutdownWatchdog(deadline: ShutdownDeadline(after: .milliseconds(20))) {
            count.update { $0 += 1 }
            ran.signal()
        }
        #expect(ran.wait(timeout: .now() + 5) == .success)
        #expect(!watchdog.disarm())
        #expect(count.value == 1)
    }

    @Test("a disarmed watchdog never runs its action")
    func disarmed() {
        let ran = Locked(false)
        let watchdog = ShutdownWatchdog(deadline: ShutdownDeadline(after: .milliseconds(50))) {
            ran.update { $0 = true }
        }
        #expect(watchdog.disarm())
        Thread.sleep(forTimeInterval: 0.15)
        #expect(!ran.value)
    }
}
