import BusKafka

extension Reconciliation {
    /// Every keyed record of the day, whoever wrote it (the six workers, the simulated ERP and
    /// site), sits in the partition Kafka's Java partitioner gives its key: murmur2(key) mod
    /// the topic's partitions. State changelogs are left out: a worker writes each state
    /// change to the partition of the input that caused it, by design.
    func partitions() -> Check {
        var failures: [String] = []
        var checked = 0
        for record in journal.records where !(record.topic.hasPrefix("bus.") && record.topic.hasSuffix(".state")) {
            guard let key = record.key, let count = journal.partitionCounts[record.topic] else { continue }
            checked += 1
            let expected = Murmur2Partitioner.partition(of: key, partitions: count)
            if record.partition != expected {
                failures.append("\(record.topic)/\(record.partition)/\(record.offset) (key \(key)) belongs in partition \(expected)")
            }
        }
        return Check(name: "partitions", summary: "\(Self.count(checked, "keyed record")) on \(journal.partitionCounts.count) topics, each in murmur2(key) mod partitions",
                     failures: Array(failures.prefix(20)))
    }
}
