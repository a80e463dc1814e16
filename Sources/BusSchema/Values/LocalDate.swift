/// A calendar date without time or zone ("2024-05-03", ISO 8601): a due date, an expected
/// delivery date.
///
/// Guarantees: a real Gregorian date (no 2023-02-29), years 0000–9999, written back exactly as read.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The year.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month.
    public let day: Int

    /// The date, or nil when it does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (0...9999).contains(year), (1...12).contains(month),
              (1...CivilCalendar.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// A date known to be valid (computed from a day count within years 0000–9999).
    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses "YYYY-MM-DD"; nil for anything else.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, let date = CivilCalendar.parseDate(bytes) else { return nil }
        self.init(year: date.year, month: date.month, day: date.day)
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int64 { CivilCalendar.days(year: year, month: month, day: day) }

    /// The date `days` days later (earlier when negative); nil outside years 0000–9999.
    public func adding(days: Int) -> LocalDate? {
        let date = CivilCalendar.date(days: daysSinceEpoch + Int64(days))
        return LocalDate(year: date.year, month: date.month, day: date.day)
    }

    /// "YYYY-MM-DD".
    public var description: String {
        "\(CivilCalendar.pad(year, 4))-\(CivilCalendar.pad(month, 2))-\(CivilCalendar.pad(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// Reads "YYYY-MM-DD"; anything else is a decoding error.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleString()
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date"))
        }
        self = date
    }

    /// Writes "YYYY-MM-DD".
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
