import Foundation
import Testing

/// The simulator ships in `bus` only: no worker executable links BusDemo, so a worker image
/// built from them carries no simulated ERP or site. Read from the built binaries' symbols.
@Suite("BusDemo boundary")
struct DemoModuleBoundaryTests {
    static let nm = "/usr/bin/nm"
    static let workers = ["customer-sync", "article-publisher", "stock-broadcaster", "order-ingest", "payment-letterer", "status-notifier"]

    static func busDemoSymbols(_ executable: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nm)
        process.arguments = [Bus.executable.deletingLastPathComponent().appendingPathComponent(executable).path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let symbols = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "nm \(executable) failed")
        // Swift's mangled module name: "7BusDemo".
        return symbols.split(separator: "\n").filter { $0.contains("7BusDemo") }.count
    }

    @Test("no worker executable has a BusDemo symbol; bus has them", .enabled(if: FileManager.default.isExecutableFile(atPath: nm), "nm is not installed"))
    func workersDoNotLinkTheDemo() throws {
        for worker in Self.workers { #expect(try Self.busDemoSymbols(worker) == 0, "\(worker) links BusDemo") }
        #expect(try Self.busDemoSymbols("bus") > 0, "the check itself finds nothing: the mangled name changed?")
    }
}
