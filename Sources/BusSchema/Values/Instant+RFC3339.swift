extension Instant {
    /// Parses any RFC 3339 `date-time` (section 5.6) and normalises it to UTC.
    ///
    /// Accepted beyond `Instant(_:)`: a numeric offset (`+01:00`, `-05:30`, `+00:00`), a
    /// lower-case `t` or `z`, and more than 9 fractional digits (truncated to nanoseconds).
    /// The result is the same moment written in UTC (`Z`), keeping up to 9 fractional digits.
    /// Nil for anything RFC 3339 does not allow (no offset, a space for `T`, `24:00`, an
    /// offset beyond 23:59) and for a leap second (`:60`), which the bus cannot represent.
    ///
    /// This is the reader of CloudEvents `time`, which other systems write in any of these
    /// forms; message payloads keep the stricter UTC form of `Instant(_:)`.
    public static func fromRFC3339(_ text: String) -> Instant? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let date = CivilCalendar.parseDate(bytes),
              let hour = CivilCalendar.number(bytes, 11, 2), let minute = CivilCalendar.number(bytes, 14, 2),
              let second = CivilCalendar.number(bytes, 17, 2), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var digits = 0
        var fraction: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, let digit = CivilCalendar.number(bytes, index, 1) {
                if digits < 9 {
                    fraction = fraction * 10 + Int64(digit)
                    digits += 1
                }
                index += 1
            }
            guard digits > 0 else { return nil }
        }
        guard let offsetSeconds = Self.offsetSeconds(bytes[index...]) else { return nil }
        let days = CivilCalendar.days(year: date.year, month: date.month, day: date.day)
        let local = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let nanoseconds = fraction * Int64(ExactDecimal.powerOfTen(9 - digits))
        return Instant(secondsSinceEpoch: local - offsetSeconds, nanoseconds: Int32(nanoseconds), fractionDigits: digits)
    }

    /// The seconds east of UTC of an RFC 3339 `time-offset` ("Z", "z", "+hh:mm", "-hh:mm"),
    /// which must be the whole rest of the text.
    private static func offsetSeconds(_ bytes: ArraySlice<UInt8>) -> Int64? {
        if bytes.count == 1, bytes.first == UInt8(ascii: "Z") || bytes.first == UInt8(ascii: "z") { return 0 }
        let offset = Array(bytes)
        guard offset.count == 6, offset[0] == UInt8(ascii: "+") || offset[0] == UInt8(ascii: "-"), offset[3] == UInt8(ascii: ":"),
              let hours = CivilCalendar.number(offset, 1, 2), let minutes = CivilCalendar.number(offset, 4, 2),
              hours < 24, minutes < 60 else { return nil }
        let seconds = Int64(hours * 3600 + minutes * 60)
        return offset[0] == UInt8(ascii: "-") ? -seconds : seconds
    }
}
