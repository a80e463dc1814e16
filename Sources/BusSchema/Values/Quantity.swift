/// A quantity of goods (pieces, kilograms, metres), exact, written as a decimal string ("2.500").
///
/// The unit is given by the message (an article's sales unit). Which signs and how many
/// decimals are accepted is each field's schema rule; the type itself only guarantees
/// exactness and byte-identical round trips.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The exact value.
    public let value: ExactDecimal

    /// A quantity of exactly `value`.
    public init(_ value: ExactDecimal) { self.value = value }

    /// A whole quantity.
    public init(_ integer: Int64) { value = ExactDecimal(integer) }

    /// Parses canonical decimal text ("2.500"); nil otherwise.
    public init?(_ text: String) {
        guard let value = ExactDecimal(text) else { return nil }
        self.value = value
    }

    /// Zero pieces.
    public static let zero = Quantity(0)

    /// The decimal text, as received.
    public var description: String { value.description }

    /// The exact sum. Throws `.overflow` past 18 digits.
    public func adding(_ other: Quantity) throws(SchemaError) -> Quantity { Quantity(try value.adding(other.value)) }

    /// The exact difference. Throws `.overflow` past 18 digits.
    public func subtracting(_ other: Quantity) throws(SchemaError) -> Quantity { Quantity(try value.subtracting(other.value)) }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.value < rhs.value }

    /// Reads a decimal string.
    public init(from decoder: any Decoder) throws { value = try ExactDecimal(from: decoder) }

    /// Writes the decimal string as received.
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
