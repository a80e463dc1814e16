import BusKafka
import BusSchema
import Foundation

/// `bus resync WORKER`: asks a worker to re-publish what its state says is current.
struct ResyncCommand: BusCommand {
    let name = "resync"
    let summary = "ask a worker to re-publish its outputs (bus.resync-request on bus.control)"
    let usage = """
    usage: bus resync WORKER [--keys K1,K2,...] [--reason TEXT] [--by NAME]
      WORKER         \(WorkerName.allCases.map(\.rawValue).joined(separator: ", "))
      --keys         only these entity keys (default: everything the worker holds)
      --reason TEXT  why, for the audit trail (default "operator request")
      --by NAME      who asks (default $USER, else "operator")
    \(ClusterConnection.usage)
    Publishes a bus.resync-request on bus.control keyed by the worker name; every running instance of the
    worker acts on it for the partitions it owns. Instances started later do not see it.
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: ClusterConnection.flags.union(["keys", "reason", "by"]))
        let workerName = try parsed.positionals(["WORKER"], required: 1)[0]
        guard let worker = WorkerName(rawValue: workerName) else {
            throw UsageError(message: "unknown worker '\(workerName)' (workers: \(WorkerName.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let keys = parsed.options["keys"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        if let keys, keys.isEmpty { throw UsageError(message: "--keys needs at least one key") }
        let environment = ProcessInfo.processInfo.environment
        let id = UUID().uuidString.lowercased()
        let now = Instant(Date())
        let request = ResyncRequest(
            requestID: EventID(rawValue: "resync-\(id)"), worker: worker, scope: keys == nil ? .all : .keys, keys: keys ?? [],
            reason: parsed.options["reason"] ?? "operator request",
            requestedBy: parsed.options["by"] ?? environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "operator",
            requestedAt: now)
        let connection = ClusterConnection(parsed)
        return try attempt(output) {
            // The request is checked as any reader will check it (lengths, scope and keys agree).
            let value = MessageCodec().encode(request)
            _ = try MessageCodec(strict: true).decode(ResyncRequest.self, from: value)
            let envelope = Envelope(for: ResyncRequest.self, id: id, source: "bus/cli", time: now)
            let record = ProducerRecord(
                topic: Topics.control, key: worker.rawValue, value: value,
                headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
            let producer = try connection.producer()
            defer { producer.close() }
            try connection.requireTopic(record.topic, using: producer)
            let report: DeliveryReport
            do { report = try Delivery(producer: producer).send(record) } catch { throw connection.unreachable(error) }
            let scope = keys.map { "\(Format.count($0.count, "key"))" } ?? "everything"
            output.line("resync of \(worker.rawValue) (\(scope)) requested: \(request.requestID) on \(report.topic) partition \(report.partition) offset \(report.offset)")
            return .success
        }
    }
}
