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
