import ArticlePublisherFlow
import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import CustomerSyncFlow
import Foundation
import OrderIngestFlow
import PaymentLettererFlow
import StatusNotifierFlow
import StockBroadcasterFlow
import Testing

/// Records made by the official CloudEvents Python SDK with its defaults (no dataschema,
/// its own id and time, the key taken from `partitionkey`) and sent by confluent-kafka in
/// another process reach every input topic of every worker and are processed, in binary
/// and structured mode, and so are offset times and null attributes in structured mode, and
/// events without `time` (optional in CloudEvents: the record's timestamp stands for it).
///
/// Each worker gets its own embedded cluster (the six run in parallel); "processed" means
/// the worker read every record, committed each input partition to its end, and wrote no
/// dead letter.
@Suite("CloudEvents SDK records reach every worker", .enabled(if: Interop.pythonAvailable, "run scripts/setup.sh for .venv-test"))
struct CloudEventsSDKTests {
    /// The traced record comes first for each example: the later ones repeat it, and flows
    /// write nothing for a repeat (same article, same stock, an order already ingested).
    static let modes = ["binary-traced", "binary", "structured", "v1-binary", "v1-structured", "structured-offset", "binary-untimed", "structured-untimed"]
    static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    static let tracestate = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"

    @Test("every input topic of the worker, every message type, every SDK mode: processed, no dead letter; outputs keep the trace context", arguments: Interop.workers)
    func sdkRecordsAreProcessed(_ worker: String) throws {
        switch worker {
        case "customer-sync": try check(CustomerSyncFlow(rules: .defaults))
        case "article-publisher": try check(ArticlePublisherFlow(rules: .defaults))
        case "stock-broadcaster": try check(StockBroadcaster(rules: .defaults))
        case "order-ingest": try check(OrderIngest(rules: .defaults))
        case "payment-letterer": try check(PaymentLetterer(rules: .defaults))
        case "status-notifier": try check(StatusNotifier(rules: .defaults))
        default: Issue.record("no flow for \(worker)")
        }
    }

    private func check<F: Flow>(_ flow: F) throws {
        let inputs = try Interop.streamInputs(of: flow.name)
        #expect(Set(inputs.map(\.topic)).isSubset(of: Set(flow.inputs)), "the catalogue's inputs are the flow's")
        #expect(!inputs.isEmpty)
        let outputs = try Interop.outputs(of: flow.name)
        let harness = try FlowHarness(flow: flow, topics: outputs, partitions: 6)
        let worker = harness.start(flow)
        defer { worker.stopCleanly() }
        // Live queries appended before the worker's assignment are skipped, not answered; a
        // worker with tables loads them first.
        #expect(waitUntil(timeout: .seconds(30)) { worker.worker.status.notReadyReason == nil })

        let jobs = inputs.flatMap { input in Self.modes.map { (input, $0) } }
        let sent = try Interop.publishWithPython(bootstrap: harness.cluster.bootstrapServers, jobs)
        let traced = Set(sent.filter { $0.mode == "binary-traced" }.map(\.id))

        let processed = waitUntil(timeout: .seconds(120)) {
            guard worker.consumed >= jobs.count, let committed = try? harness.committed(), let ends = try? harness.inputEnds() else { return false }
            return ends.allSatisfy { committed[$0.key] == $0.value }
        }
        #expect(processed, "\(flow.name) read \(worker.consumed) of \(jobs.count) records and committed them")
        let letters = try harness.readAll(flow.deadLetterTopic)
        for letter in letters {
            let reason = letter.headers.first { $0.key.hasSuffix("reason") }?.stringValue ?? "?"
            let type = letter.headers.first { $0.key == "ce_type" }?.stringValue ?? "structured"
            Issue.record("\(flow.name) dead-lettered a \(type) record of \(letter.headers.first { $0.key.hasSuffix("topic") }?.stringValue ?? "?"): \(reason)")
        }
        #expect(letters.count == 0, "dead letters")
        #expect(worker.failure == nil)

        // Every output caused by a traced input carries its traceparent and tracestate.
        var tracedOutputs = 0
        for topic in outputs {
            for record in try harness.readAll(topic) where record.headers.string("ce_causationid").map(traced.contains) == true {
                tracedOutputs += 1
                #expect(record.headers.string("traceparent") == Self.traceparent, "\(topic)")
                #expect(record.headers.string("tracestate") == Self.tracestate, "\(topic)")
            }
        }
        #expect(tracedOutputs > 0, "\(flow.name) wrote outputs for the traced inputs \(traced.sorted()) to \(outputs)")
    }
}

/// The catalogue, the examples and the Python publisher, shared by the interop tests.
enum Interop {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repository.appendingPathComponent(".venv-test/bin/python3")
    static var pythonAvailable: Bool { FileManager.default.isExecutableFile(atPath: python.path) }
    static let workers = ["customer-sync", "article-publisher", "stock-broadcaster", "order-ingest", "payment-letterer", "status-notifier"]

    /// One message type on one topic a worker reads as a stream, with its example and key.
    struct Input {
        var topic: String
        var type: String
        var example: URL
        var key: String
        /// CloudEvents extension attributes the SDK adds: a request's correlationid, replyto, deadline.
        var extensions: [String: String] = [:]
    }

    /// Every (topic, message type) the catalogue says `worker` reads as a stream from other
    /// systems or other workers; the bus's own `bus.*` topics are left out.
    static func streamInputs(of worker: String) throws -> [Input] {
        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: repository.appendingPathComponent("topics/topics.json")))
        return try catalogue.topics
            .filter { topic in !topic.name.hasPrefix("bus.") && topic.readers.contains { $0.name == worker && $0.reads == .stream } }
            .flatMap { topic in
                try topic.messageTypes.map { type in
                    let example = try placedNow(repository.appendingPathComponent("topics/examples/\(type).v1.json"), type: type)
                    // The key the message type declares (BusMessage.keyField), read from the example.
                    let message = try MessageRegistry.standard.decode(messageType: type, version: 1, from: Data(contentsOf: example))
                    if let replyTopic = topic.replyTopic {
                        // A live query: keyed by the asker's reply key, with the request attributes.
                        let deadline = ISO8601DateFormatter().string(from: Date().addingTimeInterval(300))
                        return Input(topic: topic.name, type: type, example: example, key: "site-interop",
                                     extensions: ["correlationid": "sdk-\(type)", "replyto": replyTopic, "deadline": deadline])
                    }
                    if catalogue.topics.contains(where: { $0.replyTopic == topic.name }) {
                        // The answer to a relayed request (the ERP's on erp.price-answers): keyed by the
                        // asker's reply key, correlated as its request.
                        return Input(topic: topic.name, type: type, example: example, key: "site-interop", extensions: ["correlationid": "sdk-\(type)"])
                    }
                    let key = try #require(message.keyFieldValue?.value, "a key for \(type)")
                    return Input(topic: topic.name, type: type, example: example, key: key)
                }
            }
    }

    /// An adapter publishes an order as it is placed, and the SDK's default `time` is now: the
    /// example's `placed_at` (2024) becomes now too. Left as it is, order-ingest rightly takes an
    /// order placed longer ago than its retention for a forgotten one (`forgotten_order`).
    static func placedNow(_ example: URL, type: String) throws -> URL {
        guard type == "shop.order" else { return example }
        let text = try String(contentsOf: example, encoding: .utf8)
        let now = ISO8601DateFormatter().string(from: Date())
        let placed = text.replacingOccurrences(of: #""placed_at": "[^"]*""#, with: "\"placed_at\": \"\(now)\"", options: .regularExpression)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("sdk-\(UUID().uuidString)-\(type).v1.json")
        try placed.write(to: copy, atomically: true, encoding: .utf8)
        return copy
    }

    /// The topics the catalogue says `worker` writes.
    static func outputs(of worker: String) throws -> [String] {
        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: repository.appendingPathComponent("topics/topics.json")))
        return catalogue.topics.filter { $0.writers.contains(worker) && !$0.messageTypes.isEmpty }.map(\.name)
    }

    /// Runs the Python publisher on `jobs` and waits for it; fails the test when it fails.
    /// Returns the mode and CloudEvents id of each record sent.
    @discardableResult
    static func publishWithPython(bootstrap: String, _ jobs: [(Input, String)]) throws -> [(mode: String, id: String)] {
        let records: [JSONValue] = jobs.map { input, mode in
            .object([
                JSONMember("topic", .string(input.topic)), JSONMember("key", .string(input.key)),
                JSONMember("type", .string(input.type)), JSONMember("example", .string(input.example.path)),
                JSONMember("mode", .string(mode)),
                JSONMember("extensions", .object(input.extensions.sorted { $0.key < $1.key }.map { JSONMember($0.key, .string($0.value)) })),
            ])
        }
        let job = JSONWriter.compact(.object([JSONMember("bootstrap", .string(bootstrap)), JSONMember("records", .array(records))]))
        let process = Process()
        process.executableURL = python
        process.arguments = [repository.appendingPathComponent("Tests/InteropTests/Python/publish_cloudevents.py").path]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(job)
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaints = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python: \(String(decoding: complaints, as: UTF8.self))")
        let lines = String(decoding: printed, as: UTF8.self).split(separator: "\n")
        #expect(lines.last == "sent \(jobs.count)")
        var sent: [(mode: String, id: String)] = []
        for line in lines {
            let fields = line.split(separator: " ").map(String.init)
            if fields.count == 4 { sent.append((mode: fields[2], id: fields[3])) }
        }
        return sent
    }
}
