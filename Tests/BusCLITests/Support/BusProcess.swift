import Foundation
import Testing

/// Runs the built `bus` executable as an operator would, from the repository root, with no
/// `KAFKA_*` variable inherited from the test's environment.
enum Bus {
    /// The repository root, found from this source file.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples = repository.appendingPathComponent("topics/examples")

    /// `bus`, built beside the test bundle (`swift build --build-tests` builds it).
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bus")

    /// What a finished run printed and how it ended.
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// Runs `bus arguments` to its end (killed after `timeout`), with `input` on standard input.
    static func run(
        _ arguments: [String], brokers: String? = nil, input: Data? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) throws -> Result {
        try start(arguments, brokers: brokers, input: input, environment: environment).wait(timeout: timeout)
    }

    /// `bus` started and maybe still running: its output goes to files read meanwhile.
    final class Running: @unchecked Sendable {
        let process: Process
        let stdoutFile: URL
        let stderrFile: URL

        init(process: Process, stdoutFile: URL, stderrFile: URL) {
            self.process = process
            self.stdoutFile = stdoutFile
            self.stderrFile = stderrFile
        }

        var stdout: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

        /// Waits until standard output contains `text`; false after `timeout` or once the process ended without it.
        func waitForOutput(_ text: String, timeout: Duration) -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if stdout.contains(text) { return true }
                if !process.isRunning { return stdout.contains(text) }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }

        /// Sends `number` (SIGTERM by default).
        func signal(_ number: Int32 = SIGTERM) {
            kill(process.processIdentifier, number)
        }

        /// Waits for the end, killing the process after `timeout`.
        func wait(timeout: Duration) -> Result {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                Issue.record("bus did not finish within \(timeout): killed")
            }
            process.waitUntilExit()
            defer {
                try? FileManager.default.removeItem(at: stdoutFile)
                try? FileManager.default.removeItem(at: stderrFile)
            }
            return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
        }
    }

    /// Starts `bus arguments` without waiting for it.
    static func start(_ arguments: [String], brokers: String? = nil, input: Data? = nil, environment: [String: String] = [:]) throws -> Running {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build bus first (swift build --build-tests)")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + (brokers.map { ["--brokers", $0] } ?? [])
        process.currentDirectoryURL = repository
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("KAFKA_") }
        variables.merge(environment) { $1 }
        process.environment = variables
        let directory = FileManager.default.temporaryDirectory
        let stdoutFile = directory.appendingPathComponent("bus-\(UUID().uuidString).out")
        let stderrFile = directory.appendingPathComponent("bus-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        if let input {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(input)
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        return Running(process: process, stdoutFile: stdoutFile, stderrFile: stderrFile)
    }
}
