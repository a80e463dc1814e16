import BusKafka
import BusSchema

/// The W3C trace context of a record (`traceparent`: `00-<trace-id>-<span-id>-<flags>`), for the
/// OpenTelemetry log data model's `trace_id`, `span_id` and `trace_flags` of a log line.
///
/// Guarantees: only a well-formed value is kept (lowercase hex of the right lengths, not all
/// zeros), so a malformed header can never put arbitrary text into a log line.
public struct TraceContext: Sendable, Hashable {
    /// 32 lowercase hex digits.
    public let traceID: String
    /// 16 lowercase hex digits: the span that produced the record.
    public let spanID: String
    /// 2 hex digits; `01` means sampled.
    public let flags: String

    /// The context in `traceparent`, or nil when the value is absent or malformed (the
    /// envelope's rule: `Envelope.isValidTraceparent`).
    public init?(traceparent: String?) {
        guard let traceparent, Envelope.isValidTraceparent(traceparent) else { return nil }
        let parts = traceparent.split(separator: "-")
        traceID = String(parts[1])
        spanID = String(parts[2])
        flags = String(parts[3])
    }
}

extension ConsumedRecord {
    /// The record's trace context: its `traceparent` header, else `ce_traceparent` (the
    /// CloudEvents tracing extension), as the envelope reads them.
    var trace: TraceContext? {
        TraceContext(traceparent: headers.string("traceparent")) ?? TraceContext(traceparent: headers.string("ce_traceparent"))
    }
}
