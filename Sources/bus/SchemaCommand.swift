import BusSchema
import Foundation

/// `bus schema export|check|validate`: the JSON Schemas of the bus's messages.
struct SchemaCommand: BusCommand {
    let name = "schema"
    let summary = "export, check or validate against the message schemas"
    let usage = """
    usage:
      bus schema export [--dir DIR]     write topics/schemas/<type>.v<version>.json from the code
      bus schema check [--dir DIR]      fail when the committed schemas differ from the export,
                                        naming every change that breaks readers of a committed version
      bus schema validate FILE [--type TYPE] [--version N]
                                        validate a message file; the type comes from --type, from a
                                        file name <type>.v<N>.json, or from a structured CloudEvent
    DIR defaults to topics/schemas.
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

    private func directory(_ arguments: [String]) throws(UsageError) -> URL {
        let parsed = try ParsedArguments(arguments, known: ["dir"])
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'") }
        return URL(fileURLWithPath: parsed.options["dir"] ?? "topics/schemas", isDirectory: true)
    }

    private func export(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let directory = try directory(arguments)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let files = JSONSchemaExporter.export(.standard)
            let current = Set(files.map(\.fileName))
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
            where name.hasSuffix(".json") && !current.contains(name) {
                output.error("note: \(name) is not produced by the code any more; `bus schema check` will report it")
            }
            for file in files { try file.contents.write(to: directory.appendingPathComponent(file.fileName)) }
            output.line("wrote \(files.count) schemas to \(directory.path)")
            return .success
        } catch {
            output.error("bus schema export: \(error.localizedDescription)")
            return .failure
        }
    }

    private func check(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let directory = try directory(arguments)
        var committed: [String: Data] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasSuffix(".json") {
            committed[name] = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
        }
        let findings = SchemaFileCheck.findings(committed: committed, exported: JSONSchemaExporter.export(.standard))
        guard !findings.isEmpty else {
            output.line("schemas in \(directory.path) match the code (\(committed.count) files)")
            return .success
        }
        for finding in findings { output.error(finding.description) }
        let breaking = findings.filter(\.isBreaking).count
        output.error("\(findings.count) difference\(findings.count == 1 ? "" : "s"), \(breaking) breaking")
        return .failure
    }

    private func validate(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: ["type", "version"])
        guard parsed.positionals.count == 1, let path = parsed.positionals.first else {
            throw UsageError(message: "validate takes exactly one FILE")
        }
        var version: Int?
        if let text = parsed.options["version"] {
            guard let number = Int(text), number > 0 else { throw UsageError(message: "--version must be a positive integer") }
            version = number
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            output.error("bus schema validate: cannot read \(path)")
            return .failure
        }
        var payload = data
        var reference = SchemaReference(uri: URL(fileURLWithPath: path).lastPathComponent)
        if let (envelope, body) = try? Envelope.readStructured(data) {
            payload = body
            reference = envelope.schemaReference ?? SchemaReference(messageType: envelope.type, version: 1)
        }
        if let type = parsed.options["type"] { reference = SchemaReference(messageType: type, version: version ?? 1) }
        if let version, reference != nil { reference?.version = version }
        guard let reference else {
            throw UsageError(message: "cannot tell the message type of \(path): name it <type>.v<N>.json or pass --type")
        }
        do throws(SchemaError) {
            _ = try MessageRegistry.standard.decode(messageType: reference.messageType, version: reference.version, from: payload)
            output.line("\(path): valid \(reference)")
            return .success
        } catch {
            output.error("\(path): \(error.message)")
            for problem in error.problems { output.error("  \(problem)") }
            return .failure
        }
    }
}
