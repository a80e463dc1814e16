/// One typed, non-personal field of a log line.
///
/// There is deliberately no free-form key or payload case: a log line can only say where
/// (topic, partition, offset, ids), how much (counts, durations) and why (codes, JSON paths),
/// never what a record contained. String values are identifiers and are cut at 256 characters
/// (error messages at 2,048) so a mistake cannot dump a payload.
public enum LogField: Sendable, Hashable {
    /// The topic of the record or partition concerned: `topic`.
    case topic(String)
    /// The partition number: `partition`.
    case partition(Int32)
    /// The record offset: `offset`.
    case offset(Int64)
    /// The CloudEvents id of the record: `ce_id`.
    case ceID(String)
    /// The CloudEvents type (message type) of the record: `ce_type`.
    case ceType(String)
    /// The consumer group: `group_id`.
    case groupID(String)
    /// A number of things (records, partitions, keys): `count`.
    case count(Int)
    /// Which attempt this is, from 1: `attempt`.
    case attempt(Int)
    /// How long something took: `duration_ms`, in milliseconds.
    case duration(Duration)
    /// How long until the next try: `delay_ms`, in milliseconds.
    case delay(Duration)
    /// A TCP port: `port`.
    case port(Int)
    /// A machine-readable reason, e.g. `undecodable` or `unknown_version`: `reason`.
    case reason(String)
    /// A JSON path of the field concerned (the path, never its value): `field`.
    case field(String)
    /// An error code from another layer (e.g. a librdkafka error name): `error_code`.
    case errorCode(String)
    /// A runtime error: `error_code` and `error` (its message, which never holds payloads).
    case error(RuntimeError)
    /// The trace of the record concerned: `trace_id`, `span_id` and `trace_flags` (OpenTelemetry's
    /// names); nothing when the record has no well-formed `traceparent`.
    case trace(TraceContext?)
    /// Environment variable names, never their values: `variables`, comma-separated.
    case variables([String])
    /// A line of librdkafka's own log: `facility`, and its text as the line's `message`. librdkafka's text names
    /// brokers, protocols and errors, never a record; the caller redacts secret values first.
    case clientLog(facility: String, message: String)

    /// Position in the line: fields always appear in declaration order, whatever the call order.
    var rank: Int {
        switch self {
        case .topic: 0
        case .partition: 1
        case .offset: 2
        case .ceID: 3
        case .ceType: 4
        case .groupID: 5
        case .count: 6
        case .attempt: 7
        case .duration: 8
        case .delay: 9
        case .port: 10
        case .reason: 11
        case .field: 12
        case .errorCode, .error: 13
        case .trace: 14
        case .variables: 15
        case .clientLog: 16
        }
    }
}
