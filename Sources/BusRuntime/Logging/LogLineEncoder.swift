import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Builds one JSON object per log line, by hand: a fixed key order, no escaping surprises and
/// no reflection over values that could hold more than intended.
enum LogLineEncoder {
    static let identifierLimit = 256
    static let messageLimit = 2_048

    /// `{"time":…,"level":…,"worker":…,"event":…,"message":…,<fields in rank order>}` without a
    /// line feed. `message` (the OpenTelemetry log body) is the event in words, so a log viewer
    /// that shows only the message still says what happened.
    static func line(time: Date, level: LogLevel, worker: String, event: LogEvent, fields: [LogField]) -> String {
        var out = "{\"time\":\"\(rfc3339(time))\",\"level\":\"\(level.name)\""
        out += ",\"worker\":" + quoted(worker, limit: identifierLimit)
        out += ",\"event\":" + quoted(event.name, limit: identifierLimit)
        out += ",\"message\":" + body(event: event, fields: fields)
        // Keyed by rank, so a field given twice keeps its last value and order never depends on the call.
        var byRank: [Int: LogField] = [:]
        for field in fields { byRank[field.rank] = field }
        for rank in byRank.keys.sorted() {
            guard let field = byRank[rank] else { continue }
            out += members(of: field)
        }
        return out + "}"
    }

    /// The line's `message`: librdkafka's own text for a client log line (already redacted by
    /// the caller), else the event in words. One `message` member per line, never two.
    private static func body(event: LogEvent, fields: [LogField]) -> String {
        for case .clientLog(_, let text) in fields { return quoted(text, limit: messageLimit) }
        return quoted(message(for: event), limit: identifierLimit)
    }

    private static func members(of field: LogField) -> String {
        switch field {
        case .topic(let value): member("topic", quoted(value, limit: identifierLimit))
        case .partition(let value): member("partition", String(value))
        case .offset(let value): member("offset", String(value))
        case .ceID(let value): member("ce_id", quoted(value, limit: identifierLimit))
        case .ceType(let value): member("ce_type", quoted(value, limit: identifierLimit))
        case .groupID(let value): member("group_id", quoted(value, limit: identifierLimit))
        case .count(let value): member("count", String(value))
        case .attempt(let value): member("attempt", String(value))
        case .duration(let value): member("duration_ms", milliseconds(value))
        case .delay(let value): member("delay_ms", milliseconds(value))
        case .port(let value): member("port", String(value))
        case .reason(let value): member("reason", quoted(value, limit: identifierLimit))
        case .field(let value): member("field", quoted(value, limit: identifierLimit))
        case .errorCode(let value): member("error_code", quoted(value, limit: identifierLimit))
        case .error(let error):
            member("error_code", quoted(error.code.rawValue, limit: identifierLimit))
                + member("error", quoted(error.message, limit: messageLimit))
        case .trace(let context?):
            member("trace_id", quoted(context.traceID, limit: identifierLimit))
                + member("span_id", quoted(context.spanID, limit: identifierLimit))
                + member("trace_flags", quoted(context.flags, limit: identifierLimit))
        case .trace(nil): ""
        case .variables(let names): member("variables", quoted(names.joined(separator: ","), limit: messageLimit))
        case .clientLog(let facility, _):
            member("facility", quoted(facility, limit: identifierLimit))
        }
    }

    /// `partitions_assigned` → `partitions assigned`; `state.restored` → `state restored`.
    static func message(for event: LogEvent) -> String {
        String(event.name.map { $0 == "_" || $0 == "." ? " " : $0 })
    }

    private static func member(_ key: String, _ json: String) -> String {
        ",\"\(key)\":\(json)"
    }

    /// Milliseconds with at most three decimals (microsecond precision): `12`, `0.25`.
    static func milliseconds(_ duration: Duration) -> String {
        let micros = (duration / .microseconds(1)).rounded()
        // Beyond ±2^53 µs (285 years) a Double is not exact; such a duration is a bug anyway.
        guard micros.isFinite, abs(micros) < 0x1p53 else { return "null" }
        let total = Int64(micros)
        let whole = total / 1_000
        let fraction = abs(total % 1_000)
        guard fraction != 0 else { return String(whole) }
        var decimals = String(fraction)
        decimals = String(repeating: "0", count: 3 - decimals.count) + decimals
        while decimals.hasSuffix("0") { decimals.removeLast() }
        return (total < 0 && whole == 0 ? "-" : "") + "\(whole).\(decimals)"
    }

    /// RFC 3339 in UTC with milliseconds: `2024-05-01T12:00:00.123Z`.
    static func rfc3339(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let floored = interval.rounded(.down)
        var seconds = time_t(floored)
        var millis = Int(((interval - floored) * 1_000).rounded(.down))
        if millis > 999 { millis = 999 }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
            + ".\(pad(Int32(millis), 3))Z"
    }

    /// A JSON string literal: quotes, backslashes and every control character escaped, plus
    /// U+2028/U+2029 so the line is also safe to embed in JavaScript. Cut at `limit` characters.
    static func quoted(_ text: String, limit: Int) -> String {
        var out = "\""
        var count = 0
        for character in text {
            guard count < limit else {
                out += "…"
                break
            }
            count += 1
            for scalar in character.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                case "\u{2028}": out += "\\u2028"
                case "\u{2029}": out += "\\u2029"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default:
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
