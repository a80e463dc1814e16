/// How long a flow keeps an entity once the business is done with it: a number of whole days
/// after the entity's last event, 0 meaning for ever.
///
/// Read from a rules file as a number of days (`"retention_days": 90`); negative or beyond
/// ten years is an error.
public struct Retention: Sendable, Equatable, Decodable, CustomStringConvertible {
    /// Days kept after the last event; 0: never forgotten.
    public let days: Int

    /// The largest retention a rules file may ask for: ten years.
    public static let maxDays = 3_650

    /// `days` days (clamped to 0…`maxDays`).
    public init(days: Int) {
        self.days = min(max(days, 0), Self.maxDays)
    }

    /// Days of margin for clocks that disagree, taken off a retention before a late input for
    /// an unknown entity is judged to be about a forgotten one.
    public static let defaultMarginDays = 7

    /// Kept for ever.
    public static let forever = Retention(days: 0)

    /// Reads a number of days, refusing a negative one or one beyond ten years.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let days = try container.decode(Int.self)
        guard (0...Self.maxDays).contains(days) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "retention must be between 0 (for ever) and \(Self.maxDays) days")
        }
        self.days = days
    }

    /// Whether entities are forgotten at all.
    public var forgets: Bool { days > 0 }

    /// When an entity finished with its last event at `lastEvent` is forgotten; nil for ever.
    public func expiry(after lastEvent: Instant) -> Instant? {
        forgets ? lastEvent.adding(days: days) : nil
    }

    /// Whether an entity that began at `start` may already have been forgotten at `now`: what
    /// a late input for an unknown entity is judged by. `margin` days (at most half the
    /// retention) are taken off the retention, so clocks that disagree err on the side of an
    /// exception, never of a duplicate.
    public func mayHaveForgotten(since start: Instant, at now: Instant, marginDays margin: Int) -> Bool {
        forgets && start.adding(days: days - min(max(margin, 0), days / 2)) <= now
    }

    public var description: String { forgets ? "\(days) days" : "for ever" }
}

extension FlowState {
    /// Removes `timer.key` (its tombstone goes to the changelog) when `expiry` of its value
    /// says the retention ran out by the timer's moment: the `wake` of a retention timer.
    public mutating func forgetIfExpired(_ timer: FlowTimer, expiry: (Value) -> Instant?) {
        if let value = self[timer.key], let moment = expiry(value), moment <= timer.due { self[timer.key] = nil }
    }
}
