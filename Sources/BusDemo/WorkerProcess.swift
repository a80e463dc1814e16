import BusRuntime
import Foundation
import Synchronization

/// A worker executable run as a child process (`--workers processes`), configured only by
/// its environment as in a container; its standard error (the JSON log) goes to a file.
///
/// The chaos run kills and restarts it: a kill it asked for is not a failure.
final class WorkerProcess: DemoWorker, @unchecked Sendable {
    let name: String
    /// The replica's name in the report ("order-ingest", "order-ingest#2").
    let label: String
    let executable: URL
    let logFile: URL
    private let environment: [String: String]
    /// Its `/readyz` and `/metrics` port.
    let httpPort: Int
    private let state = Mutex<(process: Process?, expectedExit: Bool, readyAt: ContinuousClock.Instant?, lastProbe: ContinuousClock.Instant)>(
        (nil, false, nil, .now - .seconds(60)))

    /// Starts `executable` (worker `name`) with `environment` and a free HTTP port; its log
    /// goes to `logDirectory`/`label`.log.
    init(name: String, label: String? = nil, executable: URL, environment: [String: String], logDirectory: URL) throws {
        self.name = name
        self.label = label ?? name
        self.executable = executable
        httpPort = try Self.freePort()
        var environment = environment
        environment[WorkerConfig.httpPortVariable] = String(httpPort)
        self.environment = environment
        logFile = logDirectory.appendingPathComponent("\(self.label).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        try start()
    }

    /// Starts the process (again, after a kill).
    func start() throws {
        let process = Process()
        process.executableURL = executable
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let log = try FileHandle(forWritingTo: logFile)
        log.seekToEndOfFile()
        process.standardError = log
        try process.run()
        try? log.close()
        state.withLock { $0 = (process, false, nil, .now - .seconds(60)) }
    }

    /// The process id, while it runs.
    var processID: Int32? { state.withLock { $0.process.flatMap { $0.isRunning ? $0.processIdentifier : nil } } }

    /// Ready: `/readyz` answers 200 (asked at most every 100 ms).
    var isReady: Bool {
        let (process, readyAt, lastProbe) = state.withLock { ($0.process, $0.readyAt, $0.lastProbe) }
        guard let process, process.isRunning else { return false }
        if readyAt != nil { return true }
        guard ContinuousClock.now - lastProbe >= .milliseconds(100) else { return false }
        let ready = HTTPProbe.get(host: "127.0.0.1", port: httpPort, path: "/readyz", timeout: .milliseconds(500)) == .status(200)
        state.withLock { $0.lastProbe = .now; if ready { $0.readyAt = .now } }
        return ready
    }

    var notReadyReason: String? { isReady ? nil : "\(label): /readyz on port \(httpPort) not 200 (log: \(logFile.path))" }

    /// Why it ended when nobody asked it to.
    var failure: String? {
        state.withLock { current in
            guard let process = current.process, !process.isRunning, !current.expectedExit else { return nil }
            return "\(label) exited with status \(process.terminationStatus) (log: \(logFile.path))"
        }
    }

    /// SIGKILL, now, as an orchestrator losing a node would; the exit is expected.
    func kill() {
        let process = state.withLock { current -> Process? in
            current.expectedExit = true
            return current.process
        }
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM: the worker finishes in-flight inputs, commits and leaves its group.
    func requestStop() {
        let process = state.withLock { current -> Process? in
            current.expectedExit = true
            return current.process
        }
        guard let process, process.isRunning else { return }
        process.terminate()
    }

    /// Waits for the exit, killing the process after its shutdown deadline and a margin.
    func waitUntilStopped() {
        guard let process = state.withLock({ $0.process }) else { return }
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Whether the last exit was a clean one (SIGTERM handled, exit 0).
    var exitedCleanly: Bool {
        state.withLock { current in
            guard let process = current.process, !process.isRunning else { return false }
            return process.terminationReason == .exit && process.terminationStatus == 0
        }
    }

    /// A port free right now on 127.0.0.1, for the worker's HTTP server.
    private static func freePort() throws -> Int {
        // The runtime's own server picks it: bound to port 0, asked which, closed.
        let server = try HTTPServer.start(HTTPServerConfiguration(host: "127.0.0.1", port: 0)) { _ in HTTPResponse(status: 404) }
        defer { _ = server.stop() }
        return server.port
    }
}
