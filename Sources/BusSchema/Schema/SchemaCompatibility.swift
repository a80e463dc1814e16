/// Decides whether a changed JSON Schema document still serves readers of the committed one.
///
/// Within one schema version the only compatible changes are adding optional properties
/// (readers ignore undeclared members) and editing annotations (`description`, `title`,
/// `examples`, `$comment`). Everything else breaks someone: a removed field breaks readers
/// that use it, a changed type or constraint makes one side refuse what the other sends, a
/// new required field refuses what existing producers send, a field no longer required
/// lets new producers omit what existing readers need. Works on documents, so it compares
/// the code's export with committed files.
public enum SchemaCompatibility {
    /// Every breaking change from `old` (committed) to `new` (exported); empty when compatible.
    public static func breakingChanges(from old: JSONValue, to new: JSONValue) -> [CompatibilityProblem] {
        var problems: [CompatibilityProblem] = []
        compare(old, new, at: "", into: &problems)
        return problems
    }

    private static let annotations: Set<String> = ["description", "title", "examples", "$comment"]
    private static let structural: Set<String> = ["properties", "required", "$defs", "type", "$ref"]
    private static let subschemas: Set<String> = ["items", "additionalProperties", "propertyNames"]

    private static func keywords(_ value: JSONValue) -> [String: JSONValue] {
        guard case let .object(members) = value else { return [:] }
        return Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    private static func names(_ value: JSONValue?) -> [String] {
        guard case let .array(elements)? = value else { return [] }
        return elements.compactMap(\.stringValue)
    }

    private static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    private static func compare(_ old: JSONValue, _ new: JSONValue, at pointer: String, into problems: inout [CompatibilityProblem]) {
        guard case .object = old, case .object = new else {
            if old != new { problems.append(CompatibilityProblem(pointer: pointer, kind: .typeChanged)) }
            return
        }
        let before = keywords(old)
        let after = keywords(new)
        if before["type"] != after["type"] || before["$ref"] != after["$ref"] {
            problems.append(CompatibilityProblem(pointer: pointer, kind: .typeChanged))
            return
        }
        let oldProperties = keywords(before["properties"] ?? .object([]))
        let newProperties = keywords(after["properties"] ?? .object([]))
        for name in oldProperties.keys.sorted() {
            let path = pointer + "/properties/" + escape(name)
            if let newProperty = newProperties[name], let oldProperty = oldProperties[name] {
                compare(oldProperty, newProperty, at: path, into: &problems)
            } else {
                problems.append(CompatibilityProblem(pointer: path, kind: .fieldRemoved))
            }
        }
        let oldRequired = Set(names(before["required"]))
        let newRequired = Set(names(after["required"]))
        for name in newRequired.subtracting(oldRequired).sorted() {
            problems.append(CompatibilityProblem(pointer: pointer + "/properties/" + escape(name), kind: .newRequiredField))
        }
        for name in oldRequired.subtracting(newRequired).sorted() where newProperties[name] != nil {
            problems.append(CompatibilityProblem(pointer: pointer + "/properties/" + escape(name), kind: .noLongerRequired))
        }
        let oldDefinitions = keywords(before["$defs"] ?? .object([]))
        let newDefinitions = keywords(after["$defs"] ?? .object([]))
        for name in oldDefinitions.keys.sorted() {
            let path = pointer + "/$defs/" + escape(name)
            if let newDefinition = newDefinitions[name], let oldDefinition = oldDefinitions[name] {
                compare(oldDefinition, newDefinition, at: path, into: &problems)
            } else {
                problems.append(CompatibilityProblem(pointer: path, kind: .definitionRemoved))
            }
        }
        let others = Set(before.keys).union(after.keys).subtracting(annotations).subtracting(structural)
        for keyword in others.sorted() {
            let path = pointer + "/" + escape(keyword)
            switch (before[keyword], after[keyword]) {
            case let (old?, new?) where subschemas.contains(keyword):
                compare(old, new, at: path, into: &problems)
            case let (old, new) where old != new:
                problems.append(CompatibilityProblem(pointer: path, kind: .constraintChanged))
            default:
                break
            }
        }
    }
}

/// One breaking change between two JSON Schema documents.
public struct CompatibilityProblem: Sendable, Hashable, CustomStringConvertible {
    /// What kind of change breaks readers or producers.
    public enum Kind: String, Sendable, Hashable {
        /// A property of the committed schema is gone.
        case fieldRemoved = "field removed"
        /// A value's type (or referenced definition) changed.
        case typeChanged = "type changed"
        /// A property became required, or a new one is required.
        case newRequiredField = "new required field"
        /// A required property became optional.
        case noLongerRequired = "field no longer required"
        /// A constraint (enum, pattern, bounds, format, ...) changed.
        case constraintChanged = "constraint changed"
        /// A shared definition is gone.
        case definitionRemoved = "definition removed"
    }

    /// The JSON Pointer, within the schema document, of what changed ("/properties/lines/items").
    public var pointer: String
    /// What changed.
    public var kind: Kind

    /// A problem.
    public init(pointer: String, kind: Kind) {
        self.pointer = pointer
        self.kind = kind
    }

    /// "field removed at /properties/email".
    public var description: String { "\(kind.rawValue) at \(pointer.isEmpty ? "/" : pointer)" }
}
