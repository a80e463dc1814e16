import BusKafka
import BusSchema
import Foundation

/// `bus lag`: how far each consumer group is behind, partition by partition.
struct LagCommand: BusCommand {
    let name = "lag"
    let summary = "committed vs end offsets per partition for the workers' groups"
    let usage = """
    usage: bus lag [--group G]
      --group G   only group G (default: the catalogue's workers, whose group id is their name unless
                  BUS_GROUP_ID changed it)
    \(CatalogueFile.usage)
    \(ClusterConnection.usage)
    For each partition the group committed, and each partition of the streams a worker reads that holds
    records: the committed offset (- when none), the end offset and the lag (end - committed; end - first
    retained when none), then the group's total.
    """

    private struct Row {
        var partition: TopicPartition
        var committed: Int64?
        var end: Int64
        var lag: Int64
    }

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: ClusterConnection.flags.union(["group", CatalogueFile.flag]))
        _ = try parsed.positionals([], required: 0)
        let connection = ClusterConnection(parsed)
        return try attempt(output) {
            let catalogue = try CatalogueFile.load(parsed)
            let groups = parsed.options["group"].map { [$0] } ?? catalogue.workers
            let reader = try connection.reader()
            defer { reader.close() }
            let topics = try connection.topics(reader)
            let all = topics.flatMap { topic in (0..<Int32(topic.partitions)).map { TopicPartition(topic: topic.name, partition: $0) } }
            let existing = Set(topics.map(\.name))
            var grandTotal: Int64 = 0
            for (index, group) in groups.enumerated() {
                if index > 0 { output.line("") }
                let committed: [TopicPartition: Int64]
                do {
                    let client = try connection.groupReader(group)
                    defer { client.close() }
                    committed = try client.committed(all, timeout: ClusterConnection.requestTimeout)
                } catch let error as KafkaError {
                    throw connection.unreachable(error)
                }
                // A worker's stream inputs are shown even before its first commit: that is
                // when its lag matters most. Its changelog is read outside the group.
                let inputs = catalogue.topics.filter { topic in
                    topic.name != Topics.changelog(of: group) && existing.contains(topic.name)
                        && topic.readers.contains { $0.name == group && $0.reads == .stream }
                }.map(\.name)
                let shown = Set(committed.keys).union(all.filter { inputs.contains($0.topic) }).sorted()
                guard !shown.isEmpty else {
                    output.line("group \(group): no committed offsets")
                    continue
                }
                var rows: [Row] = []
                var idle = 0
                for partition in shown {
                    let marks: (low: Int64, high: Int64)
                    do { marks = try reader.watermarks(partition, timeout: ClusterConnection.requestTimeout) }
                    catch { throw connection.unreachable(error) }
                    let offset = committed[partition]
                    let lag = max(marks.high - (offset ?? marks.low), 0)
                    // Nothing committed and nothing to read: a row that says nothing.
                    if offset == nil, lag == 0 { idle += 1; continue }
                    rows.append(Row(partition: partition, committed: offset, end: marks.high, lag: lag))
                }
                let total = rows.reduce(0) { $0 + $1.lag }
                grandTotal += total
                output.line("group \(group)")
                var table = Table("TOPIC", "PARTITION", "COMMITTED", "END", "LAG")
                for row in rows {
                    table.add(row.partition.topic, String(row.partition.partition), row.committed.map(String.init) ?? "-", String(row.end), String(row.lag))
                }
                if !rows.isEmpty { table.print(to: output, indent: 2) }
                if idle > 0 { output.line("  (\(Format.count(idle, "input partition")) with nothing committed and nothing to read not shown)") }
                output.line("  total lag \(total)")
            }
            if groups.count > 1 { output.line("\ntotal lag of all groups \(grandTotal)") }
            return .success
        }
    }
}
