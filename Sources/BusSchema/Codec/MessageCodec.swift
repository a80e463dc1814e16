import Foundation

/// Reads and writes bus messages: bytes ⇄ validated values.
///
/// Decoding guarantees: any bytes give either a value that passed its schema and its
/// semantic rules, or a `SchemaError` listing every problem found in the failing stage
/// (never a trap, never the payload in the error). Encoding guarantees: the same value
/// always gives the same bytes — compact JSON, keys sorted, money and quantities never
/// floating point, slashes not escaped.
public struct MessageCodec: Sendable {
    /// The JSON parser and its limits (size, depth).
    public var parser: JSONParser
    /// Whether undeclared members are refused (producers' tests) or ignored (readers, the default).
    public var strict: Bool

    /// A codec with the bus's default limits, tolerant of undeclared members unless `strict`.
    public init(parser: JSONParser = JSONParser(), strict: Bool = false) {
        self.parser = parser
        self.strict = strict
    }

    /// Every problem of `data` as a message of type `M`, shape then semantics; empty when valid.
    public func problems<M: BusMessage>(_ type: M.Type, in data: Data) -> [ValidationProblem] {
        do throws(SchemaError) {
            _ = try decode(type, from: data)
            return []
        } catch {
            return error.problems
        }
    }

    /// The message in `data`: parsed once, checked against `M.schema`, built from that parse, checked by `validate()`.
    /// Throws `.undecodable` (not JSON), `.forbiddenContent` (card data), or `.invalid` (any other problem).
    public func decode<M: BusMessage>(_ type: M.Type, from data: Data) throws(SchemaError) -> M {
        let document = try parser.parse(data)
        // One pass over the raw bytes tells whether any value could be a card number; most
        // records have no run of 13 digits, and then no value needs searching. Over the
        // contiguous bytes: `Data`'s own iterator costs more than the screen itself.
        let validator = SchemaValidator(strict: strict, screensCardNumbers: data.withUnsafeBytes { CardNumberDetector.mayContainCardNumber($0) })
        let shapeProblems = validator.problems(in: document, against: M.schema)
        guard shapeProblems.isEmpty else { throw Self.failure(M.self, shapeProblems) }
        let message: M
        do {
            // The values come from the parse above: the bytes are never read a second time.
            message = try JSONValueDecoder.decode(M.self, from: document)
        } catch {
            throw SchemaError(.invalid, "\(M.messageType) v\(M.schemaVersion) passed its schema but not its Swift decoder; the schema and the type disagree", problems: [
                ValidationProblem(Self.path(of: error), .inconsistent(rule: "the schema and the Swift type must agree")),
            ])
        }
        let ruleProblems = message.validate()
        guard ruleProblems.isEmpty else { throw Self.failure(M.self, ruleProblems) }
        return message
    }

    /// The compact canonical bytes of `message`.
    ///
    /// Bus message types encode without throwing (their `encode(to:)` only uses the
    /// encoder, which never fails); a type that throws anyway encodes as `{}`, which no
    /// reader accepts.
    public func encode<M: BusMessage>(_ message: M) -> Data {
        JSONValueEncoder.compact(message) ?? JSONWriter.compact(.object([]))
    }

    /// The compact canonical bytes of any `Encodable` value, as messages are written (keys
    /// sorted, integers exact, slashes not escaped), or nil when its `encode(to:)` throws:
    /// the form of state changelog records.
    public func encodeValue(_ value: some Encodable) -> Data? {
        JSONValueEncoder.compact(value)
    }

    /// The indented canonical bytes of `message`, newline-terminated: the form of `topics/examples/` files.
    public func encodePretty<M: BusMessage>(_ message: M) -> Data {
        JSONWriter.pretty(JSONValueEncoder.encode(message) ?? .object([]))
    }

    /// The compact canonical bytes of a message whose type is known only at run time.
    public func encode(anyMessage message: any BusMessage) -> Data {
        JSONValueEncoder.compact(message) ?? JSONWriter.compact(.object([]))
    }

    /// The indented canonical bytes of a message whose type is known only at run time.
    public func encodePretty(anyMessage message: any BusMessage) -> Data {
        JSONWriter.pretty(JSONValueEncoder.encode(message) ?? .object([]))
    }

    private static func failure<M: BusMessage>(_ type: M.Type, _ problems: [ValidationProblem]) -> SchemaError {
        let forbidden = problems.contains { if case .forbiddenContent = $0.reason { true } else { false } }
        let name = "\(M.messageType) v\(M.schemaVersion)"
        return forbidden
            ? SchemaError(.forbiddenContent, "\(name) holds content that must never travel on the bus (payment card data)", problems: problems)
            : SchemaError(.invalid, "\(name) is invalid: \(problems.count) problem\(problems.count == 1 ? "" : "s")", problems: problems)
    }

    private static func path(of error: any Error) -> String {
        let codingPath: [any CodingKey] = switch error {
        case let DecodingError.dataCorrupted(context), let DecodingError.keyNotFound(_, context),
             let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context): context.codingPath
        default: []
        }
        return codingPath.reduce(JSONPath.root) { path, key in
            key.intValue.map { path.index($0) } ?? path.key(key.stringValue)
        }.description
    }
}
