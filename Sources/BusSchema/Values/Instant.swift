import Foundation

/// A moment in time, written as RFC 3339 in UTC: "2024-05-03T10:15:30Z" or with 1 to 9
/// fractional digits, "2024-05-03T10:15:30.250Z".
///
/// Guarantees: only UTC (`Z`) is accepted, the calendar and clock are checked (no leap
/// second), and the text is written back exactly as read (the number of fractional digits
/// is kept). Equality and ordering compare the moment, not the text.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Int64
    /// Nanoseconds within the second, 0–999 999 999.
    public let nanoseconds: Int32
    /// Fractional digits written (0–9).
    public let fractionDigits: Int

    /// An instant; the nanoseconds are truncated to `fractionDigits` digits. Nil outside
    /// years 0000–9999 or for invalid parts.
    public init?(secondsSinceEpoch: Int64, nanoseconds: Int32 = 0, fractionDigits: Int = 0) {
        guard (0...999_999_999).contains(nanoseconds), (0...9).contains(fractionDigits),
              (-62_167_219_200...253_402_300_799).contains(secondsSinceEpoch) else { return nil }
        let unit = Int32(ExactDecimal.powerOfTen(9 - fractionDigits))
        self.secondsSinceEpoch = secondsSinceEpoch
        self.nanoseconds = nanoseconds / unit * unit
        self.fractionDigits = fractionDigits
    }

    /// The instant of a Foundation date, to the millisecond.
    public init(_ date: Date) {
        let raw = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let bounded = raw.isFinite ? min(max(raw, -62_167_219_200_000), 253_402_300_799_999) : 0
        let milliseconds = Int64(bounded)
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        secondsSinceEpoch = seconds
        nanoseconds = Int32(milliseconds - seconds * 1000) * 1_000_000
        fractionDigits = 3
    }

    /// Parses RFC 3339 UTC text; nil for anything else (offsets other than `Z` included).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              bytes[16] == UInt8(ascii: ":"), bytes.last == UInt8(ascii: "Z"),
              let date = CivilCalendar.parseDate(bytes),
              let hour = CivilCalendar.number(bytes, 11, 2), let minute = CivilCalendar.number(bytes, 14, 2),
              let second = CivilCalendar.number(bytes, 17, 2), hour < 24, minute < 60, second < 60
        else { return nil }
        var digits = 0
        var fraction: Int32 = 0
        if bytes.count > 20 {
            digits = bytes.count - 21
            guard bytes[19] == UInt8(ascii: "."), (1...9).contains(digits),
                  let value = CivilCalendar.number(bytes, 20, digits) else { return nil }
            fraction = Int32(value) * Int32(ExactDecimal.powerOfTen(9 - digits))
        }
        let days = CivilCalendar.days(year: date.year, month: date.month, day: date.day)
        self.init(secondsSinceEpoch: days * 86_400 + Int64(hour * 3600 + minute * 60 + second),
                  nanoseconds: fraction, fractionDigits: digits)
    }

    /// The Foundation date (to Double precision).
    public var date: Date {
        Date(timeIntervalSince1970: TimeInterval(secondsSinceEpoch) + TimeInterval(nanoseconds) / 1e9)
    }

    /// The calendar date of this instant in UTC.
    public var utcDate: LocalDate {
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
        let civil = CivilCalendar.date(days: days)
        return LocalDate(unchecked: civil.year, civil.month, civil.day)
    }

    /// RFC 3339 UTC text with `fractionDigits` fractional digits.
    public var description: String {
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
        let secondOfDay = Int(secondsSinceEpoch - days * 86_400)
        var text = utcDate.description + "T" + CivilCalendar.pad(secondOfDay / 3600, 2) + ":"
            + CivilCalendar.pad(secondOfDay / 60 % 60, 2) + ":" + CivilCalendar.pad(secondOfDay % 60, 2)
        if fractionDigits > 0 {
            let scaled = Int(nanoseconds) / Int(ExactDecimal.powerOfTen(9 - fractionDigits))
            text += "." + CivilCalendar.pad(scaled, fractionDigits)
        }
        return text + "Z"
    }

    public static func == (lhs: Instant, rhs: Instant) -> Bool {
        lhs.secondsSinceEpoch == rhs.secondsSinceEpoch && lhs.nanoseconds == rhs.nanoseconds
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds) < (rhs.secondsSinceEpoch, rhs.nanoseconds)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(secondsSinceEpoch)
        hasher.combine(nanoseconds)
    }

    /// Reads RFC 3339 UTC text; anything else is a decoding error.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleString()
        guard let instant = Instant(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an RFC 3339 UTC instant"))
        }
        self = instant
    }

    /// Writes the text as read.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
