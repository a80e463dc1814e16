import Foundation
import Testing

/// Memory stays flat over 100,000 sends with headers through every success and failure path.
///
/// How: `bus-bench leak-check` runs in its own process (this test process runs other suites
/// in parallel, which would blur its memory) in 10 rounds of 10,000 records; each round uses
/// fresh clients and a fresh cluster, so what stays allocated is what leaked. After each
/// round it prints the bytes allocated with malloc and not freed (glibc's `mallinfo2`), which,
/// unlike the resident set, fragmentation and the allocator's caches do not blur: between
/// rounds it moves by a few KiB. From round 3 to round 10 (70,000 records) it must grow by
/// less than 2 bytes per record; a control run leaking 64 bytes per record must be caught.
@Suite("Memory under load")
struct LeakTests {
    static let recordsMeasured = 70_000.0

    @Test("100,000 sends with headers under failure paths keep memory flat")
    func flatMemory() throws {
        let heap = try runLeakCheck(simulatedLeak: 0)
        let perRecord = Double(heap[9] - heap[2]) / Self.recordsMeasured
        #expect(perRecord < 2, "heap grows \(perRecord) bytes per record; in use after each round: \(heap)")
    }

    @Test("control: a simulated 64-byte leak per record is caught")
    func controlLeakIsCaught() throws {
        let heap = try runLeakCheck(simulatedLeak: 64)
        let perRecord = Double(heap[9] - heap[2]) / Self.recordsMeasured
        #expect(perRecord >= 2, "a real leak went unnoticed: \(heap)")
    }

    /// Heap bytes in use after each round.
    private func runLeakCheck(simulatedLeak: Int) throws -> [Int] {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("bus-bench")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build bus-bench first (swift build)")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["leak-check", "--records", "100000", "--rounds", "10", "--simulate-leak", "\(simulatedLeak)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        // "round <n> rss_kib <kib> records <n> heap_bytes <bytes>"
        let samples = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            return fields.count >= 8 ? Int(fields[7]) : nil
        }
        try #require(samples.count == 10)
        return samples
    }
}
