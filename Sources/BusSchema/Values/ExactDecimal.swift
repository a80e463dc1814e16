/// An exact decimal number written as a string on the wire ("2.500", "-0.75", "20").
///
/// Guarantees: the value is `significand × 10^-scale` exactly, no floating point is ever
/// involved, and `description` gives back the very text it was parsed from (the scale is
/// kept: "2.500" stays "2.500"). Canonical text only: no `+`, no leading zeros, no exponent,
/// no "-0", no trailing point, at most 18 digits after the point. Equality and ordering
/// compare numeric values ("2.5" == "2.50").
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The digits as an integer, sign included.
    public let significand: Int64
    /// How many of those digits are after the decimal point (0...18).
    public let scale: Int

    /// The largest scale accepted.
    public static let maximumScale = 18

    /// A decimal from its parts; nil when `scale` is outside 0...18.
    public init?(significand: Int64, scale: Int) {
        guard (0...Self.maximumScale).contains(scale) else { return nil }
        self.significand = significand
        self.scale = scale
    }

    /// An integral decimal.
    public init(_ integer: Int64) {
        significand = integer
        scale = 0
    }

    /// Parses canonical decimal text; nil for anything else (see the type's guarantees).
    public init?(_ text: String) {
        var bytes = Array(text.utf8)[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        let pointIndex = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.endIndex
        let integerPart = bytes[bytes.startIndex..<pointIndex]
        let fractionPart = pointIndex < bytes.endIndex ? bytes[(pointIndex + 1)...] : []
        let isDigit: (UInt8) -> Bool = { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard !integerPart.isEmpty, integerPart.allSatisfy(isDigit), fractionPart.allSatisfy(isDigit) else { return nil }
        guard integerPart.count == 1 || integerPart.first != UInt8(ascii: "0") else { return nil }
        if pointIndex < bytes.endIndex, fractionPart.isEmpty { return nil }
        guard fractionPart.count <= Self.maximumScale else { return nil }
        var magnitude: Int64 = 0
        for digit in integerPart + fractionPart {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if negative, magnitude == 0 { return nil }
        significand = negative ? -magnitude : magnitude
        scale = fractionPart.count
    }

    /// The text form, with exactly `scale` digits after the point.
    public var description: String {
        let digits = String(significand.magnitude)
        let padded = digits.count <= scale ? String(repeating: "0", count: scale - digits.count + 1) + digits : digits
        let split = padded.index(padded.endIndex, offsetBy: -scale)
        let body = scale == 0 ? padded : padded[..<split] + "." + padded[split...]
        return (significand < 0 ? "-" : "") + body
    }

    /// True when the value is below zero.
    public var isNegative: Bool { significand < 0 }
    /// True when the value is zero, whatever its scale.
    public var isZero: Bool { significand == 0 }

    /// The value as `numerator / 10^scale` in 128 bits, for exact arithmetic.
    var wide: Int128 { Int128(significand) }

    /// Ten to the power `exponent` (0...38), in 128 bits.
    static func powerOfTen(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<max(0, exponent) { result *= 10 }
        return result
    }

    /// Builds a decimal from a 128-bit significand; throws `.overflow` when it does not fit.
    static func make(_ wide: Int128, scale: Int) throws(SchemaError) -> ExactDecimal {
        guard let narrow = Int64(exactly: wide), let value = ExactDecimal(significand: narrow, scale: scale) else {
            throw SchemaError(.overflow, "the decimal result does not fit in 18 digits")
        }
        return value
    }

    /// The exact product; its scale is the sum of both scales. Throws `.overflow` past 18 digits.
    public func multiplied(by other: ExactDecimal) throws(SchemaError) -> ExactDecimal {
        try Self.make(wide * other.wide, scale: scale + other.scale)
    }

    /// The exact sum at the larger of both scales. Throws `.overflow` when it does not fit.
    public func adding(_ other: ExactDecimal) throws(SchemaError) -> ExactDecimal {
        try combined(with: other, sign: 1)
    }

    /// The exact difference at the larger of both scales. Throws `.overflow` when it does not fit.
    public func subtracting(_ other: ExactDecimal) throws(SchemaError) -> ExactDecimal {
        try combined(with: other, sign: -1)
    }

    private func combined(with other: ExactDecimal, sign: Int128) throws(SchemaError) -> ExactDecimal {
        let common = max(scale, other.scale)
        let result = wide * Self.powerOfTen(common - scale) + sign * other.wide * Self.powerOfTen(common - other.scale)
        return try Self.make(result, scale: common)
    }

    /// This value at `newScale` digits after the point: exact when growing, rounded with `mode` when shrinking.
    public func rounded(toScale newScale: Int, _ mode: RoundingMode) throws(SchemaError) -> ExactDecimal {
        guard (0...Self.maximumScale).contains(newScale) else {
            throw SchemaError(.invalidValue, "a decimal scale must be between 0 and 18")
        }
        if newScale >= scale { return try Self.make(wide * Self.powerOfTen(newScale - scale), scale: newScale) }
        return try Self.make(mode.divide(wide, by: Self.powerOfTen(scale - newScale)), scale: newScale)
    }

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool { compare(lhs, rhs) == 0 }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool { compare(lhs, rhs) < 0 }

    public func hash(into hasher: inout Hasher) {
        var reduced = significand
        var reducedScale = scale
        while reducedScale > 0, reduced % 10 == 0 { reduced /= 10; reducedScale -= 1 }
        hasher.combine(reduced)
        hasher.combine(reducedScale)
    }

    private static func compare(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> Int {
        let common = max(lhs.scale, rhs.scale)
        let left = lhs.wide * powerOfTen(common - lhs.scale)
        let right = rhs.wide * powerOfTen(common - rhs.scale)
        return left < right ? -1 : (left > right ? 1 : 0)
    }

    /// Reads a decimal string; a number or malformed text is a decoding error.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleString()
        guard let value = ExactDecimal(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a decimal string"))
        }
        self = value
    }

    /// Writes the decimal string, keeping its scale.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
