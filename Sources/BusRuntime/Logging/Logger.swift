import Foundation

/// A JSON-lines logger: one object per line with `time` (RFC 3339 UTC), `level`, `worker`,
/// `event`, then typed fields (`topic`, `partition`, `offset`, `ce_id`, …) in a fixed order.
///
/// Guarantees: every line is a single valid JSON object; it only ever holds the typed fields of
/// `LogField`, so no payload or personal data can be logged by accident; lines below
/// `minimumLevel` are dropped before any formatting.
public struct Logger: Sendable {
    /// The worker name written in every line.
    public let worker: String
    /// Lines below this level are dropped.
    public let minimumLevel: LogLevel
    private let sink: LogSink
    private let clock: @Sendable () -> Date

    /// A logger for `worker`. The sink defaults to standard error and the clock to the system
    /// time; tests inject both to check exact lines.
    public init(
        worker: String, minimumLevel: LogLevel = .info, sink: LogSink = .standardError,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.worker = worker
        self.minimumLevel = minimumLevel
        self.sink = sink
        self.clock = clock
    }

    /// Whether a line at `level` would be written.
    public func isEnabled(_ level: LogLevel) -> Bool { level >= minimumLevel }

    /// Writes one line at `level`, if enabled. A field given twice keeps its last value.
    public func log(_ level: LogLevel, _ event: LogEvent, _ fields: LogField...) {
        write(level, event, fields)
    }

    /// Writes a `debug` line, if enabled.
    public func debug(_ event: LogEvent, _ fields: LogField...) { write(.debug, event, fields) }
    /// Writes an `info` line, if enabled.
    public func info(_ event: LogEvent, _ fields: LogField...) { write(.info, event, fields) }
    /// Writes a `warn` line, if enabled.
    public func warn(_ event: LogEvent, _ fields: LogField...) { write(.warn, event, fields) }
    /// Writes an `error` line, if enabled.
    public func error(_ event: LogEvent, _ fields: LogField...) { write(.error, event, fields) }

    private func write(_ level: LogLevel, _ event: LogEvent, _ fields: [LogField]) {
        guard isEnabled(level) else { return }
        sink.emit(LogLineEncoder.line(time: clock(), level: level, worker: worker, event: event, fields: fields))
    }
}
