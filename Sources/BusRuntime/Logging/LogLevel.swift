/// How important a log line is; lines below the logger's minimum are dropped.
public enum LogLevel: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// Detail for developers, off in production.
    case debug
    /// Normal milestones: started, partitions assigned, state rebuilt.
    case info
    /// Something went wrong and was handled: a retry, a dead letter.
    case warn
    /// Something went wrong that a person should look at.
    case error

    /// Parses `debug`, `info`, `warn` or `error`, ignoring case (the values of `BUS_LOG_LEVEL`).
    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = level
    }

    /// The lowercase name, as written in log lines and in `BUS_LOG_LEVEL`.
    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warn: "warn"
        case .error: "error"
        }
    }

    /// The lowercase name.
    public var description: String { name }

    /// Orders by importance: debug < info < warn < error.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
