import BusKafka
import BusSchema
import Foundation

/// `bus exceptions list`: the business cases workers raised for a person to decide.
struct ExceptionsCommand: BusCommand {
    let name = "exceptions"
    let summary = "list the business exceptions on bus.exceptions"
    let usage = """
    usage: bus exceptions list [--kind K] [--worker W]
      --kind K     only exceptions of kind K: \(ExceptionKind.allCases.map(\.rawValue).joined(separator: ", "))
      --worker W   only those raised by worker W
    \(ClusterConnection.usage)
    Reads bus.exceptions from its first retained record to its end; prints time, kind, worker, entity,
    reason and details (no personal data travels in exceptions).
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        guard let subcommand = arguments.first else { throw UsageError(message: "missing subcommand (list)") }
        guard subcommand == "list" else { throw UsageError(message: "unknown subcommand '\(subcommand)' (list)") }
        let parsed = try ParsedArguments(Array(arguments.dropFirst()), known: ClusterConnection.flags.union(["kind", "worker"]))
        _ = try parsed.positionals([], required: 0)
        var kind: ExceptionKind?
        if let text = parsed.options["kind"] {
            guard let known = ExceptionKind(rawValue: text) else {
                throw UsageError(message: "unknown kind '\(text)' (kinds: \(ExceptionKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            kind = known
        }
        let worker = parsed.options["worker"]
        let connection = ClusterConnection(parsed)
        return try attempt(output) {
            var exceptions: [BusinessException] = []
            var unreadable = 0
            let read = try PartitionScan(connection: connection).readAll(Topics.exceptions) { record in
                guard let exception = decode(record) else { unreadable += 1; return }
                if let kind, exception.kind != kind { return }
                if let worker, exception.worker.rawValue != worker { return }
                exceptions.append(exception)
            }
            exceptions.sort { ($0.raisedAt, $0.exceptionID.rawValue) < ($1.raisedAt, $1.exceptionID.rawValue) }
            if exceptions.isEmpty {
                output.line("no exceptions\(kind.map { " of kind \($0.rawValue)" } ?? "") in \(Topics.exceptions) (\(Format.count(read, "record")) read)")
            } else {
                var table = Table("RAISED AT", "KIND", "WORKER", "ENTITY", "REASON", "DETAILS")
                for exception in exceptions {
                    let details = exception.details.sorted { $0.key < $1.key }.map { "\($0.key)=\(Format.oneLine($0.value, limit: 60))" }
                    table.add(exception.raisedAt.description, exception.kind.rawValue, exception.worker.rawValue,
                              "\(exception.entity.kind.rawValue) \(Format.oneLine(exception.entity.key))",
                              Format.oneLine(exception.reason), details.joined(separator: " "))
                }
                table.print(to: output)
                output.line("\(Format.count(exceptions.count, "exception")) of \(Format.count(read, "record")) in \(Topics.exceptions)")
            }
            if unreadable > 0 { output.error("\(Format.count(unreadable, "record")) of \(Topics.exceptions) could not be read as bus.business-exception") }
            return .success
        }
    }

    private func decode(_ record: ConsumedRecord) -> BusinessException? {
        guard let value = record.value else { return nil }
        let headers = record.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
        let payload = (try? Envelope.read(headers: headers, value: value))?.payload ?? value
        return try? MessageCodec().decode(BusinessException.self, from: payload)
    }
}
