import BusKafka

/// A partition the journal has not read to its end: the next offset it would read and the
/// end the broker gave (nil when the end could not be asked).
struct JournalGap: Equatable, Sendable {
    let partition: TopicPartition
    let next: Int64
    let end: Int64?

    /// The partitions of `next` (the journal's next offset per partition) not read to their
    /// `ends`, by topic and partition. A partition whose end is unknown counts as behind: a
    /// journal is caught up only when every partition is known to be read to its end.
    static func gaps(next: [TopicPartition: Int64], ends: [TopicPartition: Int64]) -> [JournalGap] {
        next.compactMap { partition, offset -> JournalGap? in
            guard let end = ends[partition] else { return JournalGap(partition: partition, next: offset, end: nil) }
            return offset < end ? JournalGap(partition: partition, next: offset, end: end) : nil
        }
        .sorted { $0.partition < $1.partition }
    }

    /// "bus.exceptions[2] read to 14 of 15", "… end unknown".
    var description: String {
        "\(partition.topic)[\(partition.partition)] read to \(next)" + (end.map { " of \($0)" } ?? ", end unknown")
    }
}
