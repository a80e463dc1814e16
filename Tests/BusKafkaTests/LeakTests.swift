import Foundation
import Testing

/// Memory stays flat over 100,000 sends with headers through every success and failure path.
///
/// How: `bus-bench leak-check` runs in its own process (this test process runs other suites
/// in parallel, which would blur its memory) and prints its resident set size after each of
/// 10 rounds of 10,000 records; each round uses fresh clients and a fresh cluster, so memory
/// that stays is memory that leaked. It runs with one malloc arena (`MALLOC_ARENA_MAX=1`):
/// otherwise every new librdkafka thread may open an arena and the RSS climbs for a while
/// without any leak. A leak grows memory every round; allocator noise moves it in rare
/// steps. So: of the 8 round-to-round changes after the first two rounds, at most 3 may
/// grow by more than 256 KiB (26 bytes per record). The smallest plausible leak, a
/// completion box per record, exceeds that; a control run with a simulated 64-byte leak per
/// record must be caught.
@Suite("Memory under load")
struct LeakTests {
    @Test("100,000 sends with headers under failure paths keep memory flat")
    func flatMemory() throws {
        let samples = try runLeakCheck(simulatedLeak: 0)
        #expect(growingRounds(samples) <= 3, "memory grows round after round: \(samples) KiB")
    }

    @Test("control: a simulated 64-byte leak per record is caught")
    func controlLeakIsCaught() throws {
        let samples = try runLeakCheck(simulatedLeak: 64)
        #expect(growingRounds(samples) > 3, "a real leak went unnoticed: \(samples) KiB")
    }

    /// Resident KiB after each round.
    private func runLeakCheck(simulatedLeak: Int) throws -> [Int] {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("bus-bench")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build bus-bench first (swift build)")
        let process = Process()
        process.executableURL = executable
        process.arguments = ["leak-check", "--records", "100000", "--rounds", "10", "--simulate-leak", "\(simulatedLeak)"]
        process.environment = ProcessInfo.processInfo.environment.merging(["MALLOC_ARENA_MAX": "1"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        // "round <n> rss_kib <kib> records <n>"
        let samples = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            return fields.count >= 4 ? Int(fields[3]) : nil
        }
        try #require(samples.count == 10)
        return samples
    }

    private func growingRounds(_ samples: [Int]) -> Int {
        let steady = samples.dropFirst(2)
        return zip(steady, steady.dropFirst()).filter { $1 - $0 > 256 }.count
    }
}
