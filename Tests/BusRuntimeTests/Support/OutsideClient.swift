import Foundation

/// The outside Kafka client (`scripts/kafka-client.py`, confluent-kafka in the checkout's
/// `.venv-test`), run as its own process the way another system would talk to the bus.
enum OutsideClient {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repository.appendingPathComponent(".venv-test/bin/python3")
    static let script = repository.appendingPathComponent("scripts/kafka-client.py")

    /// Whether the venv exists (`scripts/setup.sh` makes it).
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: python.path) }

    /// Produces `records` (see the script for their shape) in order; returns where each landed.
    static func produce(brokers: String, _ records: [[String: Any]]) throws -> [[String: Any]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("outside-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: records).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try run(["produce", brokers, file.path])
    }

    /// Up to `count` records of `topic` from the beginning, as the script describes them.
    static func read(brokers: String, topic: String, count: Int, timeout: Int) throws -> [[String: Any]] {
        try run(["read", brokers, topic, String(count), String(timeout)])
    }

    private static func run(_ arguments: [String]) throws -> [[String: Any]] {
        let process = Process()
        process.executableURL = python
        process.arguments = [script.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "kafka-client.py \(arguments[0]) exited \(process.terminationStatus)"])
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }
}
