import Foundation
import Testing

/// `bus demo` passes its own reconciliation on a shortened day: the built `bus` executable
/// (next to this test bundle) runs 40 orders with the default seed and must exit 0 with
/// every reconciliation line reading "ok".
@Suite("bus demo")
struct DemoTests {
    @Test("a shortened day reconciles", .timeLimit(.minutes(5)))
    func shortenedDayReconciles() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bus")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build bus first (swift build)")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["demo", "--orders", "40"]
        // The catalogue is read from the repository root, where the README runs the demo.
        process.currentDirectoryURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let report = String(decoding: data, as: UTF8.self)

        #expect(process.terminationStatus == 0, "bus demo failed:\n\(report)")
        for check in ["orders", "lifecycles", "notifications", "invoices", "availability", "catalogue", "customers", "bad inputs", "nothing else", "partitions", "run"] {
            #expect(report.contains("ok   \(check)"), "no passing '\(check)' line in:\n\(report)")
        }
        #expect(report.contains("RECONCILED: every check holds."))
    }
}
