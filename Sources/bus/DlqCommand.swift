import BusKafka
import BusSchema
import Foundation

/// `bus dlq list|show|replay WORKER`: the records a worker could not process.
struct DlqCommand: BusCommand {
    let name = "dlq"
    let summary = "list, show and replay a worker's dead letters"
    let usage = """
    usage:
      bus dlq list WORKER                   every dead letter: id, original record, reason, time, replayed
      bus dlq show WORKER --id ID           one dead letter: its bus_* headers, key, headers and value
      bus dlq replay WORKER (--id ID | --all)
                                            publish the original record again to its original topic, in the
                                            partition its key belongs to (murmur2; unkeyed: the original one),
                                            without the bus_* headers and with bus_replayed_from naming the
                                            dead letter; a dead letter already replayed is skipped
    ID is <partition>/<offset> in bus.dlq.<worker> (as list prints it), or bus.dlq.<worker>/<partition>/<offset>.
    \(CatalogueFile.usage)
    \(ClusterConnection.usage)
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        guard let subcommand = arguments.first else { throw UsageError(message: "missing subcommand (list, show or replay)") }
        guard ["list", "show", "replay"].contains(subcommand) else {
            throw UsageError(message: "unknown subcommand '\(subcommand)' (list, show or replay)")
        }
        let parsed = try ParsedArguments(
            Array(arguments.dropFirst()), known: ClusterConnection.flags.union(["id", CatalogueFile.flag]),
            switches: subcommand == "replay" ? ["all"] : [])
        let worker = try parsed.positionals(["WORKER"], required: 1)[0]
        let topic = Topics.deadLetters(of: worker)
        var id: (partition: Int32, offset: Int64)?
        if let text = parsed.options["id"] {
            guard let parsedID = DeadLetterRecord.parseID(text, topic: topic) else {
                throw UsageError(message: "--id must be <partition>/<offset>, e.g. 0/12")
            }
            id = parsedID
        }
        switch subcommand {
        case "list" where id != nil: throw UsageError(message: "list takes no --id")
        case "show" where id == nil: throw UsageError(message: "show needs --id ID")
        case "replay" where (id == nil) == !parsed.switches.contains("all"): throw UsageError(message: "replay needs --id ID or --all (one of them)")
        default: break
        }
        let connection = ClusterConnection(parsed)
        return try attempt(output) {
            let catalogue = try CatalogueFile.load(parsed)
            guard catalogue.workers.contains(worker) else {
                throw UsageError(message: "unknown worker '\(worker)' (workers: \(catalogue.workers.joined(separator: ", ")))")
            }
            var letters: [DeadLetterRecord] = []
            if let id {
                let start = [TopicPartition(topic: topic, partition: id.partition): Int64?.some(id.offset)]
                do {
                    try PartitionScan(connection: connection).read(from: start) { record in
                        if record.offset == id.offset { letters.append(DeadLetterRecord(record: record)) }
                        if record.offset >= id.offset { throw Found() }
                    }
                } catch is Found {}
            } else {
                try PartitionScan(connection: connection).readAll(topic) { letters.append(DeadLetterRecord(record: $0)) }
            }
            if id != nil, letters.isEmpty {
                throw CommandFailure("no dead letter \(parsed.options["id"] ?? "") in \(topic)")
            }
            let replay = DeadLetterReplay(connection: connection)
            switch subcommand {
            case "list": return try list(letters, topic: topic, replay: replay, output: output)
            case "show": return try show(letters[0], replay: replay, output: output)
            default: return try replayLetters(letters, all: id == nil, topic: topic, replay: replay, output: output)
            }
        }
    }

    /// Stops a scan once the wanted record is read.
    struct Found: Error {}

    private func list(_ letters: [DeadLetterRecord], topic: String, replay: DeadLetterReplay, output: Output) throws -> ExitCode {
        guard !letters.isEmpty else {
            output.line("no dead letters in \(topic)")
            return .success
        }
        let replayed = try replay.replays(of: letters)
        var table = Table("ID", "ORIGINAL", "FAILED AT", "REPLAYED", "REASON")
        for letter in letters.sorted(by: { ($0.record.partition, $0.record.offset) < ($1.record.partition, $1.record.offset) }) {
            table.add(letter.id, letter.originalDescription, letter.header(DeadLetterRecord.Header.failedAt) ?? "-",
                      replayed[letter.reference].map { _ in "yes" } ?? "no",
                      Format.oneLine(letter.header(DeadLetterRecord.Header.reason) ?? "-"))
        }
        table.print(to: output)
        output.line("\(Format.count(letters.count, "dead letter")) in \(topic), \(replayed.count) replayed")
        return .success
    }

    private func show(_ letter: DeadLetterRecord, replay: DeadLetterReplay, output: Output) throws -> ExitCode {
        let replayed = try replay.replays(of: [letter])[letter.reference]
        typealias H = DeadLetterRecord.Header
        var facts = Table("DEAD LETTER", letter.reference)
        facts.add("original", letter.originalDescription)
        facts.add("worker", letter.header(H.worker) ?? "-")
        facts.add("failed at", letter.header(H.failedAt) ?? "-")
        facts.add("attempts", letter.header(H.attempts) ?? "-")
        facts.add("code", letter.header(H.code) ?? "-")
        facts.add("reason", Format.oneLine(letter.header(H.reason) ?? "-"))
        facts.add("field", letter.header(H.field) ?? "-")
        facts.add("replayed", replayed.map { "yes, as \($0)" } ?? "no")
        facts.add("key", letter.record.key.map(RecordFormat.text) ?? "(none)")
        facts.print(to: output)
        output.line("headers of the original record")
        for header in letter.record.headers where !header.key.hasPrefix(H.busPrefix) {
            output.line("  \(Format.oneLine(header.key)): " + (header.value.map(RecordFormat.text) ?? "(null)"))
        }
        output.line("value")
        output.line("  " + RecordFormat.value(letter.record.value))
        return .success
    }

    private func replayLetters(_ letters: [DeadLetterRecord], all: Bool, topic: String, replay: DeadLetterReplay, output: Output) throws -> ExitCode {
        let bar = all ? ProgressBar("replaying \(topic)", total: letters.count) : nil
        let outcomes = try replay.replay(letters) { bar?.update($0) }
        var published = 0, skipped = 0, failed = 0
        for (letter, outcome) in outcomes {
            switch outcome {
            case .published(let report):
                published += 1
                if !all {
                    output.line("replayed \(letter.reference) to \(report.topic) partition \(report.partition) offset \(report.offset)")
                }
            case .alreadyReplayed(let location):
                skipped += 1
                if !all { output.line("\(letter.reference) was already replayed as \(location): nothing published") }
            case .failed(let reason):
                failed += 1
                output.error("\(letter.reference): not replayed: \(reason)")
            }
        }
        if all {
            output.line("\(Format.count(letters.count, "dead letter")) in \(topic): \(published) replayed, \(skipped) already replayed before, \(failed) failed")
        }
        return failed == 0 ? .success : .failure
    }
}
