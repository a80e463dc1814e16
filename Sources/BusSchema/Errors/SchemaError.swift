/// The one error type of BusSchema.
///
/// It carries a stable `code`, a `message` a person can act on and the `problems` found,
/// each with a JSON path. It never carries the payload: no value read from a message
/// appears in `message`, `reason` or `problems`, so it is safe to log and to put in
/// dead-letter headers.
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; stable strings for headers, metrics and logs.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The bytes are not JSON (or not UTF-8, too large, too deeply nested).
        case undecodable
        /// The JSON does not match the message's schema or breaks a semantic rule.
        case invalid
        /// The message holds content that must never travel on the bus, such as a card number.
        case forbiddenContent = "forbidden_content"
        /// No message type of that name is known.
        case unknownType = "unknown_type"
        /// The message type is known but not in that schema version.
        case unknownVersion = "unknown_version"
        /// The CloudEvents attributes (headers or structured envelope) are missing or malformed.
        case invalidEnvelope = "invalid_envelope"
        /// The value is framed by a schema-registry serializer (magic byte 0, then a 4-byte
        /// schema id), not the plain JSON the bus reads.
        case schemaRegistryFraming = "schema_registry_framing"
        /// The CloudEvents `partitionkey` differs from the record key.
        case partitionKeyMismatch = "partition_key_mismatch"
        /// Money arithmetic was asked to mix two currencies.
        case currencyMismatch = "currency_mismatch"
        /// An arithmetic result does not fit the value type.
        case overflow
        /// A value could not be built from the text or numbers given (bad decimal, bad date, ...).
        case invalidValue = "invalid_value"
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence a person can act on. Never contains payload values.
    public var message: String
    /// Every problem found, in document order; empty for failures that are not about fields.
    public var problems: [ValidationProblem]

    /// An error with its code, message and problems.
    public init(_ code: Code, _ message: String, problems: [ValidationProblem] = []) {
        self.code = code
        self.message = message
        self.problems = problems
    }

    /// The JSON path of the first problem (`$.lines[2].quantity`), or nil when there is none.
    /// Meant for the `field` header of a dead letter.
    public var field: String? { problems.first?.path }

    /// One line for the `reason` header of a dead letter: the code, the message and the first problem.
    public var reason: String {
        guard let first = problems.first else { return "\(code.rawValue): \(message)" }
        let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
        return "\(code.rawValue): \(first)\(more)"
    }

    /// The message followed by every problem, one per line.
    public var description: String {
        ([message] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}
