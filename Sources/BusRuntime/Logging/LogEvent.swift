/// The name of what happened, e.g. `"partition.assigned"`.
///
/// Only a string literal can make one: an event name can never be built from a record's data,
/// so it cannot smuggle personal data into the logs.
public struct LogEvent: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The event name.
    public let name: String

    /// An event from a literal: `logger.info("state.rebuilt", .count(n))`.
    public init(stringLiteral value: StaticString) {
        name = value.description
    }

    /// The event name.
    public var description: String { name }
}
