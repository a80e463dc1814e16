import BusSchema
import Foundation

/// `bus schema export|check|validate`: the JSON Schemas of the bus's messages and the
/// AsyncAPI document of its topics.
struct SchemaCommand: BusCommand {
    let name = "schema"
    let summary = "export, check or validate against the message schemas and the AsyncAPI document"
    let usage = """
    usage:
      bus schema export [--dir DIR]     write DIR/<type>.v<version>.json (each with its example from
                                        topics/examples) and topics/asyncapi.json from the code
      bus schema check [--dir DIR]      fail when the committed schemas or asyncapi.json differ from
                                        the export, naming every change that breaks readers of a
                                        committed version
      bus schema validate [FILE|-] [--type TYPE] [--version N] [--key K]
                                        check a message exactly as `bus publish` does (unknown fields
                                        refused, envelope and payload rules); FILE defaults to -, standard
                                        input. The type comes from --type, from a file name
                                        <type>.v<N>.json, or from a structured CloudEvent; --key checks
                                        the CloudEvent's partitionkey against the record key
    DIR defaults to topics/schemas; asyncapi.json, examples/ and topics.json are read or written beside it.
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        guard let subcommand = arguments.first else { throw UsageError(message: "missing subcommand (export, check or validate)") }
        let rest = Array(arguments.dropFirst())
        switch subcommand {
        case "export": return try export(rest, output: output)
        case "check": return try check(rest, output: output)
        case "validate": return try validate(rest, output: output)
        default: throw UsageError(message: "unknown subcommand '\(subcommand)' (export, check or validate)")
        }
    }

    /// The schema directory and the contract files beside it.
    private struct ContractFiles {
        var schemas: URL
        var topics: URL { schemas.deletingLastPathComponent() }
        var examples: URL { topics.appendingPathComponent("examples", isDirectory: true) }
        var catalogue: URL { topics.appendingPathComponent("topics.json") }
        var asyncAPI: URL { topics.appendingPathComponent(AsyncAPIExporter.fileName) }

        func exportedSchemas() -> [(fileName: String, contents: Data)] {
            JSONSchemaExporter.export(.standard, examples: JSONSchemaExporter.examples(in: examples))
        }

        func exportedAsyncAPI() throws -> Data {
            guard let data = FileManager.default.contents(atPath: catalogue.path) else {
                throw CommandFailure("cannot read the topic catalogue \(catalogue.path)")
            }
            return AsyncAPIExporter.export(try TopicCatalogue.load(from: data))
        }
    }

    private func files(_ arguments: [String]) throws(UsageError) -> ContractFiles {
        let parsed = try ParsedArguments(arguments, known: ["dir"])
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'") }
        return ContractFiles(schemas: URL(fileURLWithPath: parsed.options["dir"] ?? "topics/schemas", isDirectory: true))
    }

    private func export(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let files = try files(arguments)
        return try attempt(output) {
            try FileManager.default.createDirectory(at: files.schemas, withIntermediateDirectories: true)
            let schemas = files.exportedSchemas()
            let current = Set(schemas.map(\.fileName))
            for name in try FileManager.default.contentsOfDirectory(atPath: files.schemas.path)
            where name.hasSuffix(".json") && !current.contains(name) {
                output.error("note: \(name) is not produced by the code any more; `bus schema check` will report it")
            }
            for file in schemas { try file.contents.write(to: files.schemas.appendingPathComponent(file.fileName)) }
            try files.exportedAsyncAPI().write(to: files.asyncAPI)
            output.line("wrote \(schemas.count) schemas to \(files.schemas.path) and \(files.asyncAPI.path)")
            return .success
        }
    }

    private func check(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let files = try files(arguments)
        return try attempt(output) {
            var committed: [String: Data] = [:]
            let names = (try? FileManager.default.contentsOfDirectory(atPath: files.schemas.path)) ?? []
            for name in names where name.hasSuffix(".json") {
                committed[name] = FileManager.default.contents(atPath: files.schemas.appendingPathComponent(name).path)
            }
            let schemaFindings = SchemaFileCheck.findings(committed: committed, exported: files.exportedSchemas())
            var findings = schemaFindings.map(\.description)
            let breaking = schemaFindings.filter(\.isBreaking).count
            if FileManager.default.contents(atPath: files.asyncAPI.path) != (try files.exportedAsyncAPI()) {
                findings.append("\(AsyncAPIExporter.fileName): differs from the catalogue; run `bus schema export` and commit it")
            }
            guard !findings.isEmpty else {
                output.line("schemas in \(files.schemas.path) and \(files.asyncAPI.path) match the code (\(committed.count) schemas)")
                return .success
            }
            for finding in findings { output.error(finding) }
            output.error("\(findings.count) difference\(findings.count == 1 ? "" : "s"), \(breaking) breaking")
            return .failure
        }
    }

    private func validate(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: ["type", "version", "key"])
        let path = try parsed.positionals(["FILE"], required: 0).first ?? "-"
        let version = try parsed.positiveInteger("version")
        var explicitType: SchemaReference?
        if let type = parsed.options["type"] {
            explicitType = SchemaReference(uri: type) ?? SchemaReference(messageType: type, version: version ?? 1)
            if let version { explicitType?.version = version }
        }
        return try attempt(output) {
            let label = MessageFile.label(path)
            var file = try MessageFile(data: try MessageFile.read(path), path: path, topic: nil, explicitType: explicitType, source: "bus/cli")
            if let version, explicitType == nil { file.envelope.dataSchema = SchemaReference(messageType: file.envelope.type, version: version).uri }
            do throws(SchemaError) {
                let reference = try file.check(key: parsed.options["key"])
                output.line("\(label): valid \(reference)")
                return .success
            } catch {
                MessageFile.report(error, label: label, prefix: "", output: output)
                return .failure
            }
        }
    }
}
