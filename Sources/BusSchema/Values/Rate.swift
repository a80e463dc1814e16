/// A rate in percent, exact, written as a decimal string: a VAT rate of "20.0" is 20 %,
/// a discount of "12.5" is 12.5 %.
///
/// Guarantees exactness and byte-identical round trips; the accepted range (for VAT: 0 to
/// 100) is the field's schema rule.
public struct Rate: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The percentage, exactly ("20.0" → 20.0).
    public let percent: ExactDecimal

    /// A rate of `percent` percent.
    public init(percent: ExactDecimal) { self.percent = percent }

    /// Parses canonical decimal text ("20.0"); nil otherwise.
    public init?(_ text: String) {
        guard let percent = ExactDecimal(text) else { return nil }
        self.percent = percent
    }

    /// 0 %.
    public static let zero = Rate(percent: ExactDecimal(0))

    /// The decimal text, as received.
    public var description: String { percent.description }

    public static func < (lhs: Rate, rhs: Rate) -> Bool { lhs.percent < rhs.percent }

    /// Reads a decimal string.
    public init(from decoder: any Decoder) throws { percent = try ExactDecimal(from: decoder) }

    /// Writes the decimal string as received.
    public func encode(to encoder: any Encoder) throws { try percent.encode(to: encoder) }
}
