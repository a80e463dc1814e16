import Foundation
import Testing
@testable import BusSchema

/// Files of the repository, found from this source file (no bundle resources).
enum TestFiles {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples = repository.appendingPathComponent("topics/examples")
    static let schemas = repository.appendingPathComponent("topics/schemas")
    static let catalogue = repository.appendingPathComponent("topics/topics.json")
    static let invalid = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Invalid")

    static func read(_ url: URL) -> Data { FileManager.default.contents(atPath: url.path) ?? Data() }

    static func names(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The schema export as `bus schema export` writes it: each schema with its example.
    static func exported() -> [(fileName: String, contents: Data)] {
        JSONSchemaExporter.export(.standard, examples: JSONSchemaExporter.examples(in: examples))
    }

    /// Every registered message type, by reference, for parameterised tests.
    static let references: [SchemaReference] = MessageRegistry.standard.all.map { type in type.schemaReference }
}
