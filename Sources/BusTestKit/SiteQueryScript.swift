import Foundation

/// `scripts/site-query.py`, run as a site instance would run it (a separate process, Python
/// confluent-kafka): it reads only its own answer partition, publishes one live query and
/// prints the answer carrying its correlation id.
public enum SiteQueryScript {
    /// The repository root, found from this file.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The test virtualenv's interpreter (`scripts/setup.sh` makes it).
    public static let python = repository.appendingPathComponent(".venv-test/bin/python3")
    /// Whether the virtualenv is there.
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: python.path) }

    /// Asks `payload` (a query's JSON) of type `messageType` on `queryTopic` as the site
    /// instance `replyKey`, and returns what the script printed: `partition`, `key`,
    /// `headers`, `value`, `elapsed_ms`. Throws when no answer came by the deadline.
    public static func ask(brokers: String, queryTopic: String, answerTopic: String, replyKey: String, messageType: String,
                           deadlineMilliseconds: Int, payload: Data, correlation: String) throws -> [String: Any] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("query-\(UUID().uuidString).json")
        try payload.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = python
        process.arguments = [repository.appendingPathComponent("scripts/site-query.py").path, brokers, queryTopic, answerTopic, replyKey,
                             messageType, String(deadlineMilliseconds), file.path, "--correlation", correlation]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "site-query.py got no answer (exit \(process.terminationStatus))"])
        }
        return answer
    }
}
