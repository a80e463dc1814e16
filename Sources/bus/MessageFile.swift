import BusSchema
import Foundation

/// A message given to the CLI as a file or standard input, turned into the record `bus
/// publish` would send and checked exactly as a worker reads it: the one path shared by
/// `bus publish` and `bus schema validate`, so the two are equally strict.
struct MessageFile {
    /// The envelope the record is published with.
    var envelope: Envelope
    /// The payload, compact canonical JSON.
    var payload: Data

    /// Reads `path` ("-" is standard input).
    static func read(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read \(path)") }
        return data
    }

    /// The label of `path` in messages.
    static func label(_ path: String) -> String { path == "-" ? "standard input" : path }

    /// The message in `data`: a structured CloudEvent keeps its attributes (and names its
    /// type); otherwise a fresh envelope for the type named by `explicitType`, by a file
    /// named `<type>.v<N>.json`, or by `topic` when it carries one type only.
    init(data: Data, path: String, topic: Topic?, explicitType: SchemaReference?, source: String) throws {
        if let document = try? JSONParser().parse(data), document["specversion"] != nil, document["data"] != nil {
            // Without `time`, the event's time is the record's: the moment it is published.
            let (envelope, payload) = try Envelope.readStructured(data, recordTime: Instant(Date()))
            if let explicitType, explicitType.messageType != envelope.type {
                throw UsageError(message: "--type \(explicitType.messageType) differs from the CloudEvent's type \(envelope.type)")
            }
            self.envelope = envelope
            if let explicitType, envelope.dataSchema == nil { self.envelope.dataSchema = explicitType.uri }
            self.payload = payload
            return
        }
        var reference = explicitType
        if reference == nil, path != "-", let named = SchemaReference(uri: URL(fileURLWithPath: path).lastPathComponent),
           !MessageRegistry.standard.versions(of: named.messageType).isEmpty {
            reference = named
        }
        if reference == nil, let topic, topic.messageTypes.count == 1, let only = topic.messageTypes.first,
           let newest = MessageRegistry.standard.versions(of: only).last {
            reference = SchemaReference(messageType: only, version: newest)
        }
        guard let reference else {
            let hint = topic.map { " (\($0.name) carries \($0.messageTypes.joined(separator: ", ")))" } ?? ", or name the file <type>.v<N>.json"
            throw UsageError(message: "cannot tell the message type: pass --type\(hint)")
        }
        envelope = Envelope(
            id: UUID().uuidString.lowercased(), source: source, type: reference.messageType, time: Instant(Date()),
            dataSchema: reference.uri)
        payload = data
    }

    /// The binary-mode headers the record is published with.
    var headers: [(key: String, value: String)] { envelope.headers }

    /// Checks the record as a worker reads it, but strictly (undeclared members refused):
    /// schema-registry framing, envelope, `partitionkey` against `key` (when a key is
    /// given), schema version, payload. Returns the schema the message was read with.
    func check(key: String?) throws(SchemaError) -> SchemaReference {
        let reader = RecordReader(registry: .standard, codec: MessageCodec(strict: true))
        _ = try reader.read(headers: headers, key: key, value: payload, checksKey: key != nil)
        return try envelope.resolvedSchema()
    }

    /// Prints a refusal: the message, then every problem on its own line.
    static func report(_ error: SchemaError, label: String, prefix: String, output: Output) {
        output.error("\(label): \(prefix)\(error.message)")
        for problem in error.problems { output.error("  \(problem)") }
    }
}
