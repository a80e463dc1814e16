import BusKafka
import BusSchema

/// A worker's figures for the progress lines and the report, read as values from the
/// cluster, whoever runs the worker: its group's committed offsets against the journal's
/// partitions, and the records the journal saw it write.
struct WorkerCounts: Equatable {
    /// Inputs committed since the run began.
    var consumed = 0
    /// Records on its output topics (dead letters, changelogs and exceptions apart).
    var produced = 0
    /// Inputs not committed yet.
    var lag = 0
    var deadLetters = 0
    var exceptions = 0

    /// The counts of `worker` (which reads `inputs`) from `journal` and its group's `commits`.
    init(worker: String, inputs: [String], journal: BusJournal, commits: CommitWatch) {
        for topic in inputs {
            for index in 0..<(journal.partitionCounts[topic] ?? 0) {
                let partition = TopicPartition(topic: topic, partition: index)
                let start = journal.startOffsets[partition] ?? 0
                let end = journal.nextOffsets[partition] ?? start
                let committed = min(max(commits.committed(partition) ?? start, start), end)
                consumed += Int(committed - start)
                lag += Int(end - committed)
            }
        }
        let source = "bus/\(worker)"
        for (topic, sources) in journal.countsBySource where !Self.isApart(topic) {
            produced += sources[source] ?? 0
        }
        deadLetters = journal.countsByTopic["bus.dlq.\(worker)"] ?? 0
        exceptions = journal.countsBySource[Topics.exceptions]?[source] ?? 0
    }

    init() {}

    /// Dead letters, changelogs and exceptions are counted apart from a flow's outputs.
    private static func isApart(_ topic: String) -> Bool {
        topic.hasPrefix("bus.dlq.") || topic.hasSuffix(".state") || topic == Topics.exceptions
    }
}
