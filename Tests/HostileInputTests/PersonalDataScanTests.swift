import Foundation
import Testing

/// `scripts/pii_scan.py`, the personal-data and secrets check the chaos run reuses: it finds
/// what it claims to find, and finds nothing in the logs of a `bus demo` run.
@Suite("Personal data scan")
struct PersonalDataScanTests {
    @Test("the scan finds a card number, an e-mail, a phone number and a *_FILE secret in a log line, and not an erased placeholder, a masked card or a UUID", arguments: [
        (#"{"event":"x","note":"card 4111 1111 1111 1111"}"#, "card_number"),
        (#"{"event":"x","note":"\u0034111111111111111"}"#, "card_number"),
        (#"{"event":"x","to":"camille.martin@example.com"}"#, "email"),
        (#"{"event":"x","phone":"+33612345678"}"#, "phone"),
        (#"{"event":"x","password":"s3cret-from-file"}"#, "secret"),
        (#"{"event":"x","email":"erased@erased.invalid","card":"411111******1111","offset":1234567890123}"#, nil),
        // A UUID whose last groups are digits that pass the Luhn check is an id, not a card.
        (#"{"event":"x","ce_id":"5f0c2a1e-9b3d-5e4f-8013-400000102947"}"#, nil),
        (#"{"event":"x","ce_id":"5f0c2a1e-9b3d-5e4f-8013-400000102947","note":"card 4111 1111 1111 1111"}"#, "card_number"),
    ] as [(String, String?)])
    func scanFinds(line: String, expected: String?) throws {
        try #require(Repository.hasPython, "run scripts/setup.sh first")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pii-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("worker.log")
        let secret = directory.appendingPathComponent("password")
        try (line + "\n").write(to: log, atomically: true, encoding: .utf8)
        try "s3cret-from-file\n".write(to: secret, atomically: true, encoding: .utf8)
        let run = try Repository.python(["scripts/pii_scan.py", "--json", "--secret-file", secret.path, log.path], timeout: 30)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let found = (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["what"] as? String }
        if let expected {
            #expect(found == [expected], "\(run.output)")
            #expect(run.status == 1)
        } else {
            #expect(found.isEmpty, "\(run.output)")
            #expect(run.status == 0)
        }
    }

    @Test("a `bus demo` run as a process: its stdout and stderr hold no card number, e-mail, phone number or secret")
    func demoLogsClean() throws {
        try #require(Repository.hasPython, "run scripts/setup.sh first")
        let bus = Repository.binaries.appendingPathComponent("bus")
        try #require(FileManager.default.isExecutableFile(atPath: bus.path), "build the executables first (swift build)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdout = directory.appendingPathComponent("demo.stdout.log")
        let stderr = directory.appendingPathComponent("demo.stderr.log")
        FileManager.default.createFile(atPath: stdout.path, contents: nil)
        FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let demo = Process()
        demo.executableURL = bus
        demo.arguments = ["demo", "--orders", "25", "--catalogue", Repository.root.appendingPathComponent("topics/topics.json").path]
        demo.currentDirectoryURL = Repository.root
        demo.standardOutput = try FileHandle(forWritingTo: stdout)
        demo.standardError = try FileHandle(forWritingTo: stderr)
        try demo.run()
        demo.waitUntilExit()
        let report = (try? String(contentsOf: stdout, encoding: .utf8)) ?? ""
        #expect(demo.terminationStatus == 0, "the demo reconciles: \(report.suffix(1500))")
        #expect(report.contains("forbidden_content"), "the day's card number was met and reported (by its reason, not its digits)")
        let run = try Repository.python(["scripts/pii_scan.py", "--json", stdout.path, stderr.path], timeout: 60)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect((json["log_lines"] as? Int ?? 0) > 10, "the scan read the demo's output")
        #expect((json["findings"] as? [Any])?.isEmpty == true, "\(run.output)")
        #expect(run.status == 0)
    }
}
