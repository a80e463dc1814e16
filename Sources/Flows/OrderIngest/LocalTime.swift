import BusSchema
import Foundation

/// The merchant's wall clock: local dates and times of day in a time zone, across daylight
/// saving changes (Foundation's time zone database).
///
/// Price validity dates and batched release times are the merchant's, not UTC's: a promotion
/// "from 1 July" starts at midnight in Paris, which is 22:00 UTC on 30 June in summer.
public enum LocalTime {
    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The local date at `instant` in `zone`.
    public static func date(at instant: Instant, in zone: TimeZone) -> LocalDate {
        let parts = calendar(zone).dateComponents([.year, .month, .day], from: instant.date)
        return LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? instant.utcDate
    }

    /// The instant at `minute` minutes after local midnight of `day` in `zone`. A time skipped
    /// by a spring-forward change moves forward by the time skipped (02:30 → 03:30 in Paris); a
    /// time that occurs twice (autumn) is its first occurrence.
    public static func instant(on day: LocalDate, minute: Int, in zone: TimeZone) -> Instant? {
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60)
        guard let date = calendar(zone).date(from: components) else { return nil }
        return Instant(date)
    }
}
