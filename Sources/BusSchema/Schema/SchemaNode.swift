/// The shape of a message's JSON, described once in Swift.
///
/// It is the single description from which both the validator (`SchemaValidator`) and the
/// JSON Schema export (`JSONSchemaExporter`) are derived, so the two cannot disagree.
/// Every message type gives its root as `static var schema` (an `.object`).
public indirect enum SchemaNode: Sendable, Equatable {
    /// An object with named properties; members not listed are tolerated (open content),
    /// so that adding an optional field is a compatible change.
    case object([Property])
    /// An object used as a map: any keys matching `keys`, each value matching `values`.
    case map(keys: StringRule, values: SchemaNode, minimumCount: Int)
    /// An array whose elements all match `of`.
    case array(of: SchemaNode, minimumCount: Int, maximumCount: Int?)
    /// A string.
    case string(StringRule)
    /// An integer within 64 bits.
    case integer(IntegerRule)
    /// `true` or `false`.
    case boolean
    /// An exact decimal written as a string ("2.500").
    case decimal(DecimalRule)
    /// Money: `{"amount": <integer minor units>, "currency": "<ISO 4217>"}`.
    case money(MoneySign)
    /// An RFC 3339 UTC instant string.
    case instant
    /// An ISO 8601 calendar date string.
    case date
    /// The wrapped shape, or `null`.
    case nullable(SchemaNode)
    /// A shared definition, exported once under `$defs`.
    case ref(SchemaDefinition)

    /// The name used in "wrong type" problems: what the reader expected.
    var expectedTypeName: String {
        switch self {
        case .object, .map: "object"
        case .array: "array"
        case .string: "string"
        case .integer: "integer"
        case .boolean: "boolean"
        case .decimal: "decimal string"
        case .money: "money object"
        case .instant: "RFC 3339 instant string"
        case .date: "ISO 8601 date string"
        case let .nullable(inner): inner.expectedTypeName + " or null"
        case let .ref(definition): definition.node.expectedTypeName
        }
    }

    // MARK: Shorthands used by message schemas

    /// Free text of 1 to `maximumLength` characters.
    public static func text(maximumLength: Int = 1000) -> SchemaNode {
        .string(StringRule(maximumLength: maximumLength))
    }

    /// One of a closed list of strings.
    public static func oneOf(_ allowed: [String]) -> SchemaNode {
        .string(StringRule(allowed: allowed))
    }

    /// One of the raw values of a string enum, in declaration order.
    public static func oneOf<E: CaseIterable & RawRepresentable<String>>(_ type: E.Type) -> SchemaNode {
        .string(StringRule(allowed: type.allCases.map(\.rawValue)))
    }

    /// An array of `element` with at least `minimumCount` entries.
    public static func list(_ element: SchemaNode, minimumCount: Int = 0, maximumCount: Int? = nil) -> SchemaNode {
        .array(of: element, minimumCount: minimumCount, maximumCount: maximumCount)
    }

    /// An object with these properties.
    public static func object(_ properties: Property...) -> SchemaNode { .object(properties) }

    /// An integer of at least `minimum`.
    public static func integer(minimum: Int64) -> SchemaNode { .integer(IntegerRule(minimum: minimum)) }

    /// A quantity greater than zero with at most 6 decimals.
    public static let positiveQuantity = SchemaNode.decimal(DecimalRule(minimum: ExactDecimal(0), minimumIsExclusive: true, maximumScale: 6))
    /// A quantity of zero or more with at most 6 decimals.
    public static let nonNegativeQuantity = SchemaNode.decimal(DecimalRule(minimum: ExactDecimal(0), maximumScale: 6))
    /// A quantity of any sign with at most 6 decimals (stock on hand may be negative in an ERP).
    public static let signedQuantity = SchemaNode.decimal(DecimalRule(maximumScale: 6))
    /// A percentage from 0 to 100 with at most 4 decimals (a VAT or discount rate).
    public static let percentage = SchemaNode.decimal(DecimalRule(minimum: ExactDecimal(0), maximum: ExactDecimal(100), maximumScale: 4))
}

/// One named property of an object shape.
public struct Property: Sendable, Equatable {
    /// The wire name (snake_case).
    public var name: String
    /// Its shape.
    public var node: SchemaNode
    /// Whether it must be present.
    public var isRequired: Bool
    /// What the field means, for the JSON Schema `description`.
    public var summary: String

    /// A property.
    public init(name: String, node: SchemaNode, isRequired: Bool, summary: String) {
        self.name = name
        self.node = node
        self.isRequired = isRequired
        self.summary = summary
    }

    /// A property that must be present.
    public static func required(_ name: String, _ node: SchemaNode, _ summary: String) -> Property {
        Property(name: name, node: node, isRequired: true, summary: summary)
    }

    /// A property that may be absent (absent means "not known" or "none"; `null` is not accepted).
    public static func optional(_ name: String, _ node: SchemaNode, _ summary: String) -> Property {
        Property(name: name, node: node, isRequired: false, summary: summary)
    }
}

/// A named shape shared by many messages (an identifier, an address), exported once under `$defs`.
public struct SchemaDefinition: Sendable, Equatable {
    /// The `$defs` key (snake_case).
    public var name: String
    /// What it is, for the JSON Schema `description`.
    public var summary: String
    /// Its shape.
    public var node: SchemaNode

    /// A definition.
    public init(name: String, summary: String, node: SchemaNode) {
        self.name = name
        self.summary = summary
        self.node = node
    }
}
