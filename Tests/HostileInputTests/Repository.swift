import Foundation

/// The checkout these tests run in, its built executables and its test Python (`.venv-test`).
enum Repository {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Where `swift build` put the executables: beside the test bundle.
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    static let pythonPath = root.appendingPathComponent(".venv-test/bin/python3").path

    static var hasPython: Bool { FileManager.default.isExecutableFile(atPath: pythonPath) }

    /// Runs the test Python with `arguments` from the repository root; its exit status and its
    /// standard output (standard error is passed through, for the test log).
    static func python(_ arguments: [String], timeout: TimeInterval) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pythonPath)
        process.arguments = arguments
        process.currentDirectoryURL = root
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("py-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}
