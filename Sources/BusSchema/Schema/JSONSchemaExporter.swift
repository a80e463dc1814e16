import Foundation

/// Turns message schemas into JSON Schema (draft 2020-12) documents.
///
/// Guarantees: the output depends only on the `SchemaNode`s and the examples given (same
/// code, same bytes); each document is self-contained, with the shared definitions it uses
/// under `$defs`. The documents say what `bus publish` enforces: every object refuses
/// members it does not declare (`additionalProperties: false`), as the strict codec does.
/// Workers read tolerantly (unknown members ignored), so a later compatible version may add
/// fields; the README's "Schema keywords" lists the `x-` keywords written here.
public enum JSONSchemaExporter {
    /// The JSON Schema dialect written in `$schema`.
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// The JSON Schema document of one message type, with `example` (a valid message of the
    /// type, from `topics/examples/`) under `examples` when given.
    public static func document(for type: any BusMessage.Type, example: JSONValue? = nil) -> JSONValue {
        var definitions: [String: JSONValue] = [:]
        var root = members(of: convert(type.schema, into: &definitions))
        root.append(JSONMember("$schema", .string(dialect)))
        root.append(JSONMember("$id", .string(type.schemaReference.uri)))
        root.append(JSONMember("title", .string(type.schemaReference.description)))
        root.append(JSONMember("description", .string(type.summary)))
        root.append(JSONMember("x-message-type", .string(type.messageType)))
        root.append(JSONMember("x-schema-version", .integer(type.schemaVersion)))
        if let example { root.append(JSONMember("examples", .array([example]))) }
        if !definitions.isEmpty {
            root.append(JSONMember("$defs", .object(definitions.keys.sorted().compactMap { name in
                definitions[name].map { JSONMember(name, $0) }
            })))
        }
        return .object(root)
    }

    /// One file per registered message type and version: `<type>.v<version>.json`, pretty
    /// canonical JSON, each with its example from `examples` (keyed by schema reference).
    public static func export(_ registry: MessageRegistry, examples: [SchemaReference: JSONValue] = [:]) -> [(fileName: String, contents: Data)] {
        registry.all.map { type in
            (type.schemaReference.fileName, JSONWriter.pretty(document(for: type, example: examples[type.schemaReference])))
        }
    }

    /// The examples of `topics/examples/` in `directory`, by schema reference: one
    /// `<type>.v<version>.json` file each. Files that are not JSON are left out (the
    /// example tests report them).
    public static func examples(in directory: URL) -> [SchemaReference: JSONValue] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var result: [SchemaReference: JSONValue] = [:]
        for name in names where name.hasSuffix(".json") {
            guard let reference = SchemaReference(uri: name),
                  let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                  let value = try? JSONParser().parse(data) else { continue }
            result[reference] = value
        }
        return result
    }

    private static func members(of value: JSONValue) -> [JSONMember] {
        if case let .object(members) = value { return members }
        return []
    }

    private static func string(_ text: String) -> JSONValue { .string(text) }

    private static func convert(_ node: SchemaNode, into definitions: inout [String: JSONValue]) -> JSONValue {
        switch node {
        case let .object(properties):
            var result: [JSONMember] = [JSONMember("type", string("object"))]
            result.append(JSONMember("properties", .object(properties.map { property in
                var schema = members(of: convert(property.node, into: &definitions))
                schema.append(JSONMember("description", string(property.summary)))
                return JSONMember(property.name, .object(schema))
            })))
            let required = properties.filter(\.isRequired).map(\.name).sorted()
            if !required.isEmpty { result.append(JSONMember("required", .array(required.map(string)))) }
            // The strict codec of `bus publish` refuses undeclared members at every level.
            result.append(JSONMember("additionalProperties", .bool(false)))
            return .object(result)
        case let .map(keys, values, minimumCount):
            var result = [
                JSONMember("type", string("object")),
                JSONMember("propertyNames", convert(.string(keys), into: &definitions)),
                JSONMember("additionalProperties", convert(values, into: &definitions)),
            ]
            if minimumCount > 0 { result.append(JSONMember("minProperties", .integer(minimumCount))) }
            return .object(result)
        case let .array(element, minimumCount, maximumCount):
            var result = [JSONMember("type", string("array")), JSONMember("items", convert(element, into: &definitions))]
            if minimumCount > 0 { result.append(JSONMember("minItems", .integer(minimumCount))) }
            if let maximumCount { result.append(JSONMember("maxItems", .integer(maximumCount))) }
            return .object(result)
        case let .string(rule):
            return .object(stringSchema(rule))
        case let .integer(rule):
            var result = [JSONMember("type", string("integer"))]
            result.append(JSONMember("minimum", .integer(rule.minimum ?? Int64.min)))
            result.append(JSONMember("maximum", .integer(rule.maximum ?? Int64.max)))
            return .object(result)
        case .boolean:
            return .object([JSONMember("type", string("boolean"))])
        case let .decimal(rule):
            return .object(decimalSchema(rule))
        case let .money(sign):
            let name = sign == .any ? "money" : "\(sign.rawValue)_money"
            if definitions[name] == nil {
                let amount = IntegerRule(minimum: sign == .any ? nil : (sign == .positive ? 1 : 0))
                var schema = members(of: convert(.object(
                    .required("amount", .integer(amount), "The amount in the currency's minor unit (cents for EUR): 1999 is 19.99 EUR."),
                    .required("currency", .ref(.currencyCode), "The ISO 4217 currency.")
                ), into: &definitions))
                schema.append(JSONMember("description", string(moneySummary(sign))))
                definitions[name] = .object(schema)
            }
            return .object([JSONMember("$ref", string("#/$defs/\(name)"))])
        case .instant:
            return .object([
                JSONMember("type", string("string")), JSONMember("format", string("date-time")),
                JSONMember("pattern", string("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$")),
            ])
        case .date:
            return .object([
                JSONMember("type", string("string")), JSONMember("format", string("date")),
                JSONMember("pattern", string("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
            ])
        case let .nullable(inner):
            return .object([JSONMember("anyOf", .array([convert(inner, into: &definitions), .object([JSONMember("type", string("null"))])]))])
        case let .ref(definition):
            if definitions[definition.name] == nil {
                definitions[definition.name] = .null
                var schema = members(of: convert(definition.node, into: &definitions))
                schema.append(JSONMember("description", string(definition.summary)))
                definitions[definition.name] = .object(schema)
            }
            return .object([JSONMember("$ref", string("#/$defs/\(definition.name)"))])
        }
    }

    private static func moneySummary(_ sign: MoneySign) -> String {
        switch sign {
        case .any: "An amount of money in integer minor units; may be negative."
        case .nonNegative: "An amount of money in integer minor units, zero or more."
        case .positive: "An amount of money in integer minor units, more than zero."
        }
    }

    private static func stringSchema(_ rule: StringRule) -> [JSONMember] {
        var result = [JSONMember("type", string("string"))]
        if rule.minimumLength > 0 { result.append(JSONMember("minLength", .integer(rule.minimumLength))) }
        if let maximum = rule.maximumLength { result.append(JSONMember("maxLength", .integer(maximum))) }
        if let allowed = rule.allowed { result.append(JSONMember("enum", .array(allowed.map(string)))) }
        if let pattern = rule.pattern { result.append(JSONMember("pattern", string(pattern))) }
        switch rule.format {
        case .countryCode?: result.append(JSONMember("enum", .array(CountryCode.allCodes.map(string))))
        case .currencyCode?: result.append(JSONMember("enum", .array(Currency.allCodes.map(string))))
        case .languageCode?:
            let languages = LanguageCode.allLanguages.joined(separator: "|")
            result.append(JSONMember("pattern", string("^(\(languages))(-[A-Z]{2})?$")))
        case .gtin?:
            result.append(JSONMember("pattern", string("^([0-9]{8}|[0-9]{12,14})$")))
            result.append(JSONMember("format", string("gtin")))
        case nil: break
        }
        return result
    }

    private static func decimalSchema(_ rule: DecimalRule) -> [JSONMember] {
        let unsigned = rule.minimum.map { !$0.isNegative } ?? false
        let fraction = rule.maximumScale > 0 ? "(\\.[0-9]{1,\(rule.maximumScale)})?" : ""
        var result = [
            JSONMember("type", string("string")),
            JSONMember("format", string("decimal")),
            JSONMember("pattern", string("^\(unsigned ? "" : "-?")(0|[1-9][0-9]{0,17})\(fraction)$")),
        ]
        if let minimum = rule.minimum {
            result.append(JSONMember(rule.minimumIsExclusive ? "x-exclusive-minimum" : "x-minimum", string(minimum.description)))
        }
        if let maximum = rule.maximum { result.append(JSONMember("x-maximum", string(maximum.description))) }
        return result
    }
}
