import Foundation
import Testing
@testable import BusSchema

@Suite struct SchemaExportTests {
    static func committed() -> [String: Data] {
        Dictionary(uniqueKeysWithValues: TestFiles.names(in: TestFiles.schemas).map { ($0, TestFiles.read(TestFiles.schemas.appendingPathComponent($0))) })
    }

    @Test func exportIsDeterministic() {
        let first = TestFiles.exported()
        let second = TestFiles.exported()
        #expect(first.map(\.fileName) == second.map(\.fileName))
        #expect(first.map(\.contents) == second.map(\.contents))
        #expect(first.count == 54)  // one per type and version (order acceptance v3 beside v1 and v2, order query and answer v2 beside v1)
    }

    @Test func exportEqualsCommittedFiles() {
        let findings = SchemaFileCheck.findings(committed: Self.committed(), exported: TestFiles.exported())
        #expect(findings.isEmpty, "run `swift run bus schema export`: \(findings)")
    }

    @Test func asyncAPIDocumentEqualsCommittedFile() throws {
        let catalogue = try TopicCatalogue.load(from: TestFiles.read(TestFiles.catalogue))
        let committed = TestFiles.read(TestFiles.catalogue.deletingLastPathComponent().appendingPathComponent(AsyncAPIExporter.fileName))
        #expect(AsyncAPIExporter.export(catalogue) == committed, "run `swift run bus schema export` and commit topics/asyncapi.json")
        #expect(AsyncAPIExporter.export(catalogue) == AsyncAPIExporter.export(catalogue))
    }

    @Test(arguments: TestFiles.references)
    func everyObjectRefusesUndeclaredMembersAsTheStrictCodecDoes(_ reference: SchemaReference) throws {
        let type = try MessageRegistry.standard.type(named: reference.messageType, version: reference.version)
        let example = try JSONParser().parse(TestFiles.read(TestFiles.examples.appendingPathComponent(reference.fileName)))
        let document = JSONSchemaExporter.document(for: type, example: example)
        #expect(document["additionalProperties"] == JSONValue.bool(false))
        #expect(document["examples"] == JSONValue.array([example]))
        // The exported rule and the codec agree: an undeclared member is refused by the strict codec.
        guard case var .object(members) = example else { return }
        members.append(JSONMember("undeclared_member", .string("x")))
        #expect {
            try MessageRegistry.standard.decode(messageType: reference.messageType, version: reference.version,
                                                from: JSONWriter.compact(.object(members)), codec: MessageCodec(strict: true))
        } throws: { error in
            (error as? SchemaError)?.problems.map(\.reason.code) == ["unknown_field"]
        }
    }

    @Test func everyPatternCompilesAndDocumentsNameTheirDialect() throws {
        for file in TestFiles.exported() {
            let document = try JSONParser().parse(file.contents)
            #expect(document["$schema"]?.stringValue == JSONSchemaExporter.dialect)
            for pattern in Self.patterns(in: document) { #expect(PatternMatcher.compiles(pattern), "\(file.fileName): \(pattern)") }
        }
    }

    static func patterns(in value: JSONValue) -> [String] {
        switch value {
        case let .object(members): members.flatMap { $0.key == "pattern" ? [$0.value.stringValue ?? ""] : patterns(in: $0.value) }
        case let .array(elements): elements.flatMap(patterns)
        default: []
        }
    }
}

/// Builds changed copies of a committed schema and checks which the compatibility rule refuses.
@Suite struct CompatibilityTests {
    static func payment() throws -> JSONValue {
        try JSONParser().parse(TestFiles.read(TestFiles.schemas.appendingPathComponent("shop.payment.v1.json")))
    }

    /// `value` with the member at `path` replaced by `change` (nil removes it).
    static func edit(_ value: JSONValue, _ path: ArraySlice<String>, _ change: (JSONValue?) -> JSONValue?) -> JSONValue {
        guard let key = path.first, case var .object(members) = value else { return change(value) ?? .null }
        let index = members.firstIndex { $0.key == key }
        let current = index.map { members[$0].value }
        let updated = path.count == 1 ? change(current) : current.map { edit($0, path.dropFirst(), change) }
        switch (index, updated) {
        case let (index?, updated?): members[index].value = updated
        case let (index?, nil): members.remove(at: index)
        case let (nil, updated?): members.append(JSONMember(key, updated))
        case (nil, nil): break
        }
        return .object(members)
    }

    static func required(_ names: [String]) -> JSONValue { .array(names.sorted().map { .string($0) }) }
    static func requiredNames(_ document: JSONValue) -> [String] {
        if case let .array(elements)? = document["required"] { return elements.compactMap(\.stringValue) }
        return []
    }

    static let changes: [(String, @Sendable (JSONValue) -> JSONValue, [String])] = [
        ("field removed", { doc in
            edit(edit(doc, ["properties", "provider_reference"], { _ in nil }), ["required"], { _ in required(requiredNames(doc).filter { $0 != "provider_reference" }) })
        }, ["field removed at /properties/provider_reference"]),
        ("type changed", { doc in edit(doc, ["properties", "amount"], { _ in .object([JSONMember("type", .string("string"))]) }) },
         ["type changed at /properties/amount"]),
        ("new required field", { doc in
            edit(edit(doc, ["properties", "channel"], { _ in .object([JSONMember("type", .string("string"))]) }), ["required"], { _ in required(requiredNames(doc) + ["channel"]) })
        }, ["new required field at /properties/channel"]),
        ("optional field made required", { doc in edit(doc, ["required"], { _ in required(requiredNames(doc) + ["provider"]) }) },
         ["new required field at /properties/provider"]),
        ("required field made optional", { doc in edit(doc, ["required"], { _ in required(requiredNames(doc).filter { $0 != "occurred_at" }) }) },
         ["field no longer required at /properties/occurred_at"]),
        ("enum value added", { doc in
            edit(doc, ["properties", "kind", "enum"], { _ in .array([.string("capture"), .string("refund"), .string("chargeback")]) })
        }, ["constraint changed at /properties/kind/enum"]),
        ("shared definition narrowed", { doc in edit(doc, ["$defs", "order_number", "pattern"], { _ in .string("^[A-Z]{3}$") }) },
         ["constraint changed at /$defs/order_number/pattern"]),
        ("optional field added", { doc in edit(doc, ["properties", "channel"], { _ in .object([JSONMember("type", .string("string"))]) }) }, []),
        ("description edited", { doc in edit(doc, ["properties", "amount", "description"], { _ in .string("The amount.") }) }, []),
    ]

    @Test(arguments: changes.indices)
    func compatibilityRule(_ index: Int) throws {
        let (name, change, expected) = Self.changes[index]
        let old = try Self.payment()
        let problems = SchemaCompatibility.breakingChanges(from: old, to: change(old)).map(\.description)
        #expect(problems == expected, "\(name)")
    }

    @Test func schemaCheckRejectsABreakingChangeWithoutANewVersion() throws {
        // The code drops provider_reference from shop.payment v1 instead of making a v2.
        let broken = Self.edit(try Self.payment(), ["properties", "provider_reference"], { _ in nil })
        let exported = TestFiles.exported().map { file in
            file.fileName == "shop.payment.v1.json" ? (file.fileName, JSONWriter.pretty(broken)) : file
        }
        var committed = SchemaExportTests.committed()
        committed["shop.payment.v0.json"] = Data("{}".utf8)
        committed.removeValue(forKey: "shop.order.v1.json")
        let findings = SchemaFileCheck.findings(committed: committed, exported: exported)
        #expect(findings.map(\.fileName) == ["shop.order.v1.json", "shop.payment.v1.json", "shop.payment.v0.json"])
        #expect(findings.map(\.isBreaking) == [false, true, true])
        #expect(findings[1].kind == .breaking([CompatibilityProblem(pointer: "/properties/provider_reference", kind: .fieldRemoved)]))
        #expect(findings[1].description.contains("add a new schema version"))
    }

    @Test func aNewVersionLeavesTheCommittedOneAlone() {
        let committed = SchemaExportTests.committed()
        var exported = TestFiles.exported()
        exported.append(("shop.payment.v2.json", Data("{}\n".utf8)))
        let findings = SchemaFileCheck.findings(committed: committed, exported: exported)
        #expect(findings == [SchemaFileCheck.Finding(fileName: "shop.payment.v2.json", kind: .notCommitted)])
    }
}
