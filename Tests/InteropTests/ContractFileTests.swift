import BusSchema
import Foundation
import Testing

/// The contract files as tools read them: `topics/asyncapi.json` checked by an independent
/// AsyncAPI 3.0 validator, `topics/schemas/` by `check-jsonschema --check-metaschema` and
/// the `jsonschema` package, each against the catalogue and the examples.
@Suite("Contract files read by outside tools", .enabled(if: Interop.pythonAvailable, "run scripts/setup.sh for .venv-test"))
struct ContractFileTests {
    static let topics = Interop.repository.appendingPathComponent("topics")
    static let asyncAPI = topics.appendingPathComponent(AsyncAPIExporter.fileName)

    static func catalogue() throws -> TopicCatalogue {
        try TopicCatalogue.load(from: Data(contentsOf: topics.appendingPathComponent("topics.json")))
    }

    static func committed() throws -> JSONValue { try JSONParser().parse(Data(contentsOf: asyncAPI)) }

    @Test("asyncapi.json covers every catalogue topic: channel, Kafka bindings, messages, operations, group ids")
    func asyncAPICoversTheCatalogue() throws {
        let catalogue = try Self.catalogue()
        let document = try Self.committed()
        #expect(document["asyncapi"]?.stringValue == "3.0.0")
        guard case let .object(channels)? = document["channels"], case let .object(operations)? = document["operations"] else {
            Issue.record("no channels or operations")
            return
        }
        #expect(Set(channels.compactMap { $0.value["address"]?.stringValue }) == Set(catalogue.topics.map(\.name)))
        #expect(channels.count == catalogue.topics.count)
        for topic in catalogue.topics {
            let id = AsyncAPIExporter.identifier(topic.name)
            let channel = try #require(document["channels"]?[id], "channel of \(topic.name)")
            let kafka = try #require(channel["bindings"]?["kafka"])
            #expect(kafka["partitions"] == JSONValue.integer(topic.partitions), "\(topic.name) partitions")
            #expect(kafka["topicConfiguration"]?["cleanup.policy"] == JSONValue.array([.string(topic.cleanup.rawValue)]), "\(topic.name) cleanup")
            guard case let .object(messages)? = channel["messages"] else { Issue.record("\(topic.name): no messages"); continue }
            #expect(Set(messages.compactMap { $0.value["name"]?.stringValue }) == Set(topic.messageTypes), "\(topic.name) message types")
            for message in messages.map(\.value) {
                let payload = try #require(message["payload"]?["$ref"]?.stringValue)
                #expect(FileManager.default.fileExists(atPath: Self.topics.appendingPathComponent(payload).path), "\(payload) exists")
                #expect(message["bindings"]?["kafka"]?["key"]?["description"]?.stringValue?.contains(topic.key) == true)
                #expect(message["traits"] == JSONValue.array([.object([JSONMember("$ref", .string("#/components/messageTraits/cloudEvents"))])]))
            }
            for writer in topic.writers {
                let operation = operations.first { $0.key == AsyncAPIExporter.identifier("\(writer).send.\(topic.name)") }?.value
                #expect(operation?["action"]?.stringValue == "send", "\(writer) sends \(topic.name)")
                #expect(operation?["channel"]?["$ref"]?.stringValue == "#/channels/\(id)")
            }
            for reader in topic.readers {
                let operation = operations.first { $0.key == AsyncAPIExporter.identifier("\(reader.name).receive.\(topic.name)") }?.value
                #expect(operation?["action"]?.stringValue == "receive", "\(reader.name) receives \(topic.name)")
                let group = operation?["bindings"]?["kafka"]?["groupId"]?["enum"]
                if catalogue.workers.contains(reader.name), reader.reads == .stream {
                    #expect(group == JSONValue.array([.string(reader.name)]), "\(reader.name)'s consumer group is its name")
                } else {
                    #expect(group == nil, "\(reader.name) reads \(topic.name) without a consumer group of the bus")
                }
            }
        }
        let trait = try #require(document["components"]?["messageTraits"]?["cloudEvents"]?["headers"])
        #expect(trait["required"] == JSONValue.array(["ce_specversion", "ce_id", "ce_source", "ce_type"].map(JSONValue.string)))
    }

    /// The official AsyncAPI 3.0.0 JSON Schema (asyncapi/spec-json-schemas, see `Specs/ORIGIN.md`).
    static let officialAsyncAPISchema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Specs/asyncapi-3.0.0-without-id.json")

    @Test("asyncapi.json parses as AsyncAPI 3.0: the asyncapi3 object model and the official AsyncAPI 3.0.0 JSON Schema")
    func asyncAPIIsValidAsyncAPI3() throws {
        let result = try Interop.runPython("validate_asyncapi.py", [Self.asyncAPI.path, Self.officialAsyncAPISchema.path])
        #expect(result.status == 0 && result.output.contains("valid"), "\(result.output)")
    }

    /// Documents a validator must refuse: proof that the check above can fail.
    @Test("a broken AsyncAPI document is refused", arguments: [
        ("version 2.6.0", "asyncapi", #""2.6.0""#),
        ("operation without action", "operations/customer-sync_receive_erp_customers/action", "-"),
        ("partitions as text", "channels/erp_customers/bindings/kafka/partitions", #""six""#),
        ("unknown Kafka binding field", "channels/erp_customers/bindings/kafka/compaction", "true"),
    ])
    func brokenDocumentsAreRefused(_ name: String, _ path: String, _ value: String) throws {
        let result = try Interop.runPython("validate_asyncapi.py", [Self.asyncAPI.path, Self.officialAsyncAPISchema.path, "--break", path, value])
        #expect(result.status == 1 && result.output.contains("asyncapi") && !result.output.contains("Traceback"), "\(name): \(result.output)")
        // Each validator on its own refuses it too: neither hides behind the other.
        #expect(result.output.contains("json-schema:"), "\(name): the official JSON Schema did not refuse it: \(result.output)")
    }

    @Test("every exported schema passes check-jsonschema --check-metaschema")
    func schemasPassTheMetaschema() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.topics.appendingPathComponent("schemas").path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == MessageRegistry.standard.all.count)
        let tool = Interop.repository.appendingPathComponent(".venv-test/bin/check-jsonschema")
        let result = try Interop.run(tool, ["--check-metaschema"] + names.map { Self.topics.appendingPathComponent("schemas/\($0)").path })
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("a schema whose dialect is broken fails the metaschema check")
    func brokenSchemaFailsTheMetaschema() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString).json")
        try Data(#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "additionalProperties": "no"}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let tool = Interop.repository.appendingPathComponent(".venv-test/bin/check-jsonschema")
        #expect(try Interop.run(tool, ["--check-metaschema", file.path]).status != 0)
    }

    @Test("each example validates against its schema with jsonschema, is embedded under examples, and an undeclared member is refused")
    func examplesValidateAgainstTheirSchemas() throws {
        let result = try Interop.runPython("validate_examples.py", [Self.topics.path])
        #expect(result.status == 0 && result.output.contains("checked \(MessageRegistry.standard.all.count)"), "\(result.output)")
    }
}

extension Interop {
    /// What a finished tool printed (standard output and error together) and its exit status.
    struct ToolResult {
        var status: Int32
        var output: String
    }

    /// Runs `executable` with `arguments` to its end.
    static func run(_ executable: URL, _ arguments: [String]) throws -> ToolResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolResult(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    /// Runs one of the Python scripts beside these tests with the venv's interpreter.
    static func runPython(_ script: String, _ arguments: [String]) throws -> ToolResult {
        try run(python, [repository.appendingPathComponent("Tests/InteropTests/Python/\(script)").path] + arguments)
    }
}
