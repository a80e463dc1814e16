import BusKafka
import BusSchema
import Foundation

/// How `tail` and `dlq show` print a record: what the topic holds, as it is (that is the
/// operator's intent), on lines that cannot be broken by what the record contains.
enum RecordFormat {
    /// The record's message type: `ce_type`, or `type` inside a structured CloudEvent.
    static func messageType(of record: ConsumedRecord) -> String? {
        if let type = record.headers.string("ce_type") { return type }
        let contentType = record.headers.last { $0.key.lowercased() == "content-type" }?.stringValue ?? ""
        guard contentType.lowercased().hasPrefix(Envelope.structuredContentType), let value = record.value,
              let document = try? JSONParser().parse(value) else { return nil }
        return document["type"]?.stringValue
    }

    /// `topic/partition/offset  time  key=…  type  id=…`: one line naming the record.
    static func summary(_ record: ConsumedRecord) -> String {
        var parts = ["\(record.topic)/\(record.partition)/\(record.offset)"]
        if let time = record.timestamp { parts.append(Instant(time).description) }
        parts.append("key=" + (record.key.map(text) ?? "(none)"))
        if let type = messageType(of: record) { parts.append(Format.oneLine(type)) }
        if let id = record.headers.string("ce_id") { parts.append("id=" + Format.oneLine(id)) }
        return parts.joined(separator: "  ")
    }

    /// The value on one line: compact JSON when it is JSON, else the text, else its size.
    static func value(_ data: Data?) -> String {
        guard let data else { return "(no value: tombstone)" }
        if let document = try? JSONParser().parse(data) { return String(decoding: JSONWriter.compact(document), as: UTF8.self) }
        return text(data)
    }

    /// Bytes as one line of text, or their size when they are not UTF-8.
    static func text(_ data: Data) -> String {
        guard let string = String(data: data, encoding: .utf8) else { return "(\(data.count) bytes, not UTF-8)" }
        return Format.oneLine(string, limit: 100_000)
    }

    /// One JSON object on one line: topic, partition, offset, timestamp, key, headers (the
    /// last value of each name), value (embedded when JSON, a string otherwise, null for a tombstone).
    static func json(_ record: ConsumedRecord) -> String {
        var headers: [String: JSONValue] = [:]
        for header in record.headers { headers[header.key] = header.value.map { .string(bytes($0)) } ?? .null }
        let value: JSONValue = record.value.map { data in (try? JSONParser().parse(data)) ?? .string(bytes(data)) } ?? .null
        let members: [JSONMember] = [
            JSONMember("topic", .string(record.topic)),
            JSONMember("partition", .integer(record.partition)),
            JSONMember("offset", .integer(record.offset)),
            JSONMember("timestamp", record.timestamp.map { .string(Instant($0).description) } ?? .null),
            JSONMember("key", record.key.map { .string(bytes($0)) } ?? .null),
            JSONMember("headers", .object(headers.map { JSONMember($0.key, $0.value) })),
            JSONMember("value", value),
        ]
        return String(decoding: JSONWriter.compact(.object(members)), as: UTF8.self)
    }

    /// UTF-8 text, or base64 prefixed by `base64:` for other bytes.
    private static func bytes(_ data: Data) -> String {
        String(data: data, encoding: .utf8) ?? "base64:" + data.base64EncodedString()
    }
}
