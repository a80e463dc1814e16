import BusKafka
import BusRuntime
import Foundation

/// `bus tail TOPIC`: prints a topic's records as they arrive, optionally filtered.
struct TailCommand: BusCommand {
    let name = "tail"
    let summary = "print a topic's records as they arrive (filters: key, message type)"
    let usage = """
    usage: bus tail TOPIC [--from-beginning] [--key K] [--type T] [--json] [--max N] [--until-end]
      --from-beginning   start at the first retained record instead of the end
      --key K            only records whose key is K
      --type T           only records whose CloudEvents type (ce_type) is T, e.g. shop.order
      --json             one JSON object per record: topic, partition, offset, timestamp, key, headers, value
      --max N            stop after N printed records
      --until-end        stop at the end of the topic as it was at start (with --from-beginning: print what is there)
    \(ClusterConnection.usage)
    Without --max or --until-end it runs until Ctrl-C. Records are printed as the topic holds them.
    """

    private struct Filter {
        var key: String?
        var type: String?

        func accepts(_ record: ConsumedRecord) -> Bool {
            if let key, record.keyString != key { return false }
            if let type, RecordFormat.messageType(of: record) != type { return false }
            return true
        }
    }

    private struct Enough: Error {}

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(
            arguments, known: ClusterConnection.flags.union(["key", "type", "max"]),
            switches: ["from-beginning", "json", "until-end"])
        let topic = try parsed.positionals(["TOPIC"], required: 1)[0]
        let maximum = try parsed.positiveInteger("max")
        let filter = Filter(key: parsed.options["key"], type: parsed.options["type"])
        let json = parsed.switches.contains("json")
        let fromBeginning = parsed.switches.contains("from-beginning")
        let connection = ClusterConnection(parsed)
        return try attempt(output) {
            var printed = 0
            let print = { (record: ConsumedRecord) throws in
                guard filter.accepts(record) else { return }
                if json {
                    output.line(RecordFormat.json(record))
                } else {
                    output.line(RecordFormat.summary(record))
                    output.line("  " + RecordFormat.value(record.value))
                }
                printed += 1
                if let maximum, printed >= maximum { throw Enough() }
            }
            do {
                if parsed.switches.contains("until-end") {
                    try readToEnd(topic, connection: connection, fromBeginning: fromBeginning, print)
                } else {
                    try follow(topic, connection: connection, fromBeginning: fromBeginning, print)
                }
            } catch is Enough {}
            return .success
        }
    }

    private func readToEnd(_ topic: String, connection: ClusterConnection, fromBeginning: Bool, _ body: (ConsumedRecord) throws -> Void) throws {
        guard fromBeginning else { return }
        try PartitionScan(connection: connection).readAll(topic, body)
    }

    /// Reads until Ctrl-C (SIGINT) or SIGTERM, then leaves cleanly.
    private func follow(_ topic: String, connection: ClusterConnection, fromBeginning: Bool, _ body: (ConsumedRecord) throws -> Void) throws {
        let consumer = try connection.reader()
        defer { consumer.close() }
        let partitions = try connection.partitions(of: topic, using: consumer)
        try consumer.assign(Dictionary(uniqueKeysWithValues: partitions.map { ($0, fromBeginning ? StartOffset.beginning : .end) }))
        let shutdown = ShutdownRequest()
        let signals = try ShutdownSignals.install(requesting: shutdown)
        defer { signals.uninstall() }
        while !shutdown.isRequested {
            switch consumer.poll(timeout: .milliseconds(200)) {
            case .record(let record)?: try body(record)
            case .error(let error)? where error.isFatal: throw error
            default: continue
            }
        }
    }
}
