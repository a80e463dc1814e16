extension Instant {
    /// This instant moved by whole `seconds` (clamped to the representable years 0000–9999).
    public func adding(seconds: Int64) -> Instant {
        let moved = min(max(secondsSinceEpoch &+ seconds, -62_167_219_200), 253_402_300_799)
        return Instant(secondsSinceEpoch: moved, nanoseconds: nanoseconds, fractionDigits: fractionDigits) ?? self
    }

    /// This instant moved by whole days of 86,400 seconds (UTC has no daylight saving).
    public func adding(days: Int) -> Instant {
        adding(seconds: Int64(days) * 86_400)
    }
}

extension Instant {
    /// This instant moved by `milliseconds`, written with millisecond precision (at least).
    public func adding(milliseconds: Int64) -> Instant {
        let total = Int64(nanoseconds) / 1_000_000 + milliseconds
        let carry = total >= 0 ? total / 1000 : (total - 999) / 1000
        let within = Int32(total - carry * 1000) * 1_000_000 + nanoseconds % 1_000_000
        let moved = min(max(secondsSinceEpoch &+ carry, -62_167_219_200), 253_402_300_799)
        return Instant(secondsSinceEpoch: moved, nanoseconds: within, fractionDigits: max(fractionDigits, 3)) ?? self
    }
}
