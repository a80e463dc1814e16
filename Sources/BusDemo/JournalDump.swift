import BusSchema
import Foundation

/// Writes every record the demo saw, one line each, for whoever investigates a failed run
/// (`BUS_DEMO_JOURNAL=/tmp/journal.txt bus demo`). The file holds the day's made-up personal
/// data; the report never does. A changelog record (`bus.<worker>.state`) shows its value as
/// stored, so a trace can follow what a worker's state said at each step.
enum JournalDump {
    static func write(_ journal: BusJournal, to path: String) throws {
        let codec = MessageCodec()
        var text = ""
        for record in journal.records {
            let body = record.message.map { String(decoding: codec.encode(anyMessage: $0), as: UTF8.self) }
                ?? (record.topic.hasSuffix(".state") ? record.value.map { String(decoding: $0, as: UTF8.self) } : nil) ?? "-"
            let reason = record.header("bus_error_reason").map { " reason=\($0)" } ?? ""
            let millis = record.timestamp.map { String(Int64($0.timeIntervalSince1970 * 1000)) } ?? "-"
            text += "\(millis) \(record.topic)[\(record.partition)]@\(record.offset) key=\(record.key ?? "-") type=\(record.type ?? "-") "
                + "source=\(record.source ?? "-") id=\(record.id ?? "-") cause=\(record.causation ?? "-")\(reason) \(body)\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
