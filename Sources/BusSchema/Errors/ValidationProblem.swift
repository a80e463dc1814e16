/// One thing wrong with a message, at one place in it.
///
/// `path` is a JSON path from the message root (`$`, `$.lines[2].quantity`,
/// `$.labels['fr-BE']`); envelope problems use the header name (`ce_id`).
/// Neither the path nor the reason ever quotes a value from the message.
public struct ValidationProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is.
    public var path: String
    /// What is wrong there.
    public var reason: ProblemReason

    /// A problem at `path`.
    public init(_ path: String, _ reason: ProblemReason) {
        self.path = path
        self.reason = reason
    }

    /// A problem at a built path.
    public init(_ path: JSONPath, _ reason: ProblemReason) {
        self.init(path.description, reason)
    }

    /// `path: reason`, e.g. `$.lines[2].quantity: negative amount`.
    public var description: String { "\(path): \(reason)" }
}

/// Why a value is wrong. `code` is a stable snake_case word for tests and tools;
/// `description` is the plain sentence for people.
public enum ProblemReason: Sendable, Hashable, CustomStringConvertible {
    /// A required field is absent.
    case missing
    /// The JSON type differs from the schema's (`expected` and `found` are type names, e.g. "string", "null").
    case wrongType(expected: String, found: String)
    /// A string, array or map that must have content is empty.
    case empty
    /// A string is longer than allowed.
    case tooLong(maximum: Int)
    /// An array or map has more entries than allowed.
    case tooMany(maximum: Int)
    /// A string does not have the expected form; `expected` names the form.
    case invalidFormat(expected: String)
    /// A string is not one of the allowed values.
    case notAllowed(allowed: [String])
    /// A number is below its minimum; `bound` states it ("at least 1", "greater than 0").
    case belowMinimum(bound: String)
    /// A number is above its maximum; `bound` states it.
    case aboveMaximum(bound: String)
    /// An amount or quantity that must not be negative is.
    case negativeAmount
    /// A currency code that is not ISO 4217.
    case unknownCurrency
    /// A string that should hold an exact decimal ("2.500") does not.
    case notADecimal
    /// A decimal has more fractional digits than the field allows.
    case tooPrecise(maximumScale: Int)
    /// An amount is not in the currency the message is in.
    case currencyMismatch
    /// A total is not the sum or difference it states; `rule` says which.
    case totalsMismatch(rule: String)
    /// A value that must be unique within the message repeats; `what` names it.
    case duplicate(what: String)
    /// Fields contradict each other; `rule` is the rule broken.
    case inconsistent(rule: String)
    /// The schema version is not one this reader knows.
    case unknownSchemaVersion(known: [Int])
    /// The message type is not one this reader knows.
    case unknownMessageType
    /// Content that must never travel on the bus (a card number, a card field).
    case forbiddenContent(what: String)
    /// A field the schema does not define (reported only by strict validation).
    case unknownField
    /// The bytes are not well-formed JSON; `detail` says where and why.
    case malformedJSON(detail: String)

    /// A stable snake_case code, e.g. "missing", "wrong_type", "totals_mismatch".
    public var code: String {
        switch self {
        case .missing: "missing"
        case .wrongType: "wrong_type"
        case .empty: "empty"
        case .tooLong: "too_long"
        case .tooMany: "too_many"
        case .invalidFormat: "invalid_format"
        case .notAllowed: "not_allowed"
        case .belowMinimum: "below_minimum"
        case .aboveMaximum: "above_maximum"
        case .negativeAmount: "negative_amount"
        case .unknownCurrency: "unknown_currency"
        case .notADecimal: "not_a_decimal"
        case .tooPrecise: "too_precise"
        case .currencyMismatch: "currency_mismatch"
        case .totalsMismatch: "totals_mismatch"
        case .duplicate: "duplicate"
        case .inconsistent: "inconsistent"
        case .unknownSchemaVersion: "unknown_schema_version"
        case .unknownMessageType: "unknown_message_type"
        case .forbiddenContent: "forbidden_content"
        case .unknownField: "unknown_field"
        case .malformedJSON: "malformed_json"
        }
    }

    /// A plain sentence, without any value from the message.
    public var description: String {
        switch self {
        case .missing: "missing"
        case let .wrongType(expected, found): "wrong type: expected \(expected), found \(found)"
        case .empty: "empty"
        case let .tooLong(maximum): "too long: at most \(maximum) characters"
        case let .tooMany(maximum): "too many entries: at most \(maximum)"
        case let .invalidFormat(expected): "invalid format: expected \(expected)"
        case let .notAllowed(allowed): "not an allowed value: expected one of \(allowed.joined(separator: ", "))"
        case let .belowMinimum(bound): "too small: must be \(bound)"
        case let .aboveMaximum(bound): "too large: must be \(bound)"
        case .negativeAmount: "negative amount"
        case .unknownCurrency: "unknown currency: expected an ISO 4217 code such as EUR"
        case .notADecimal: "not a decimal: expected a string such as \"2.500\""
        case let .tooPrecise(maximumScale): "too precise: at most \(maximumScale) digits after the point"
        case .currencyMismatch: "currency differs from the message's currency"
        case let .totalsMismatch(rule): "totals do not add up: \(rule)"
        case let .duplicate(what): "duplicate \(what)"
        case let .inconsistent(rule): "inconsistent: \(rule)"
        case let .unknownSchemaVersion(known):
            "unknown schema version: this reader knows \(known.map { "v\($0)" }.joined(separator: ", "))"
        case .unknownMessageType: "unknown message type"
        case let .forbiddenContent(what): "forbidden content: \(what)"
        case .unknownField: "unknown field"
        case let .malformedJSON(detail): "malformed JSON: \(detail)"
        }
    }
}
