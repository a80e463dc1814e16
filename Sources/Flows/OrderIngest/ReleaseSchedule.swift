import BusSchema
import Foundation

/// The moments at which a batched order-ingest releases the orders it keeps: the same times
/// every day, on the merchant's wall clock (its time zone, across daylight saving changes).
///
/// "Now" is never the wall clock: it is the time of the input being handled (its CloudEvents
/// `time`). Every input of a partition (orders, payments, ERP statuses) moves that partition's
/// clock, so the flow stays a pure function of its inputs, a replay releases exactly what the
/// first run released, and tests choose the time. The cost: a partition with no input at all
/// keeps its due orders until its next input; on a live shop the order and status traffic of
/// every partition makes that minutes at most.
public struct ReleaseSchedule: Sendable, Equatable {
    /// Minutes after local midnight, sorted and unique.
    public let minutes: [Int]
    /// The merchant's time zone.
    public let timeZone: TimeZone

    /// Releases at each "HH:MM" of `times` (malformed ones are left out; the rules file refuses
    /// them) and every `everyMinutes` minutes from local midnight when above zero, in `timeZone`.
    public init(times: [String], everyMinutes: Int, timeZone: TimeZone = .gmt) {
        var minutes = Set(times.compactMap(Self.minuteOfDay))
        if everyMinutes > 0 { minutes.formUnion(stride(from: 0, to: 1440, by: everyMinutes)) }
        self.minutes = minutes.sorted()
        self.timeZone = timeZone
    }

    /// The minute of the day of "HH:MM" (00:00 to 23:59), or nil.
    public static func minuteOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// The first release at or after `now`; `now` itself when the schedule is empty.
    public func nextRelease(atOrAfter now: Instant) -> Instant {
        // From the local day before (a local day may start before `now` in UTC terms) to the
        // day after: every time of day occurs in that window.
        let today = LocalTime.date(at: now, in: timeZone)
        for dayOffset in -1...2 {
            guard let day = today.adding(days: dayOffset) else { continue }
            for minute in minutes {
                if let candidate = LocalTime.instant(on: day, minute: minute, in: timeZone), candidate >= now { return candidate }
            }
        }
        return now
    }
}
