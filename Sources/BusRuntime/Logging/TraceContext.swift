import BusKafka

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

    /// The context in `traceparent`, or nil when the value is absent or malformed.
    public init?(traceparent: String?) {
        guard let traceparent else { return nil }
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        // Version 00 has exactly four parts; a later version may append more (W3C §3.2.4).
        guard parts.count >= 4, Self.isHex(parts[0], count: 2), parts[0] != "ff",
              parts[0] != "00" || parts.count == 4,
              Self.isHex(parts[1], count: 32), Self.isHex(parts[2], count: 16), Self.isHex(parts[3], count: 2),
              parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" })
        else { return nil }
        traceID = String(parts[1])
        spanID = String(parts[2])
        flags = String(parts[3])
    }

    private static func isHex(_ text: Substring, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension ConsumedRecord {
    /// The record's trace context, from its `traceparent` header.
    var trace: TraceContext? { TraceContext(traceparent: headers.string("traceparent")) }
}
