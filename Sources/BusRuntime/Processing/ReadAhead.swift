import BusKafka

/// Records read from the consumer ahead of their turn, so that a batch of them can be decoded
/// on several threads before the loop handles them one by one, in the order they were read.
///
/// A pure value and a small state machine, driven by the loop as it performs the core's
/// actions: the loop appends what it polls, attaches what the decode stage made of each
/// record, and takes them back in order. A partition is either reading (its records wait in
/// the queue) or paused (its records are held aside, in order):
/// - `pause`: the partition's records waiting are held, and so is any record of it read
///   while it stays paused. librdkafka resumes a paused partition after the last record it
///   handed out (the pause saves that position), so the records held are exactly those the
///   loop must still handle, and nothing seeks back over them;
/// - `resume`: the partition's held records go back ahead of everything waiting, in order,
///   before any record the consumer reads for it from then on;
/// - `revoke`: the partition's records, held or waiting, are forgotten: never seen by the core,
///   so neither done nor committed; the partition's next owner reads them from the commit.
/// `drop` takes a partition's waiting records out and says where to read it again (a seek
/// back after a restore).
struct ReadAhead<Decoded>: Sendable where Decoded: Sendable {
    /// One record read ahead, with what the decode stage made of it (nil: not decoded yet,
    /// or not a record the stage decodes; the loop then decodes it in its turn).
    struct Item: Sendable {
        var record: ConsumedRecord
        var decoded: Decoded?
    }

    private var items: [Item] = []
    private var head = 0
    /// The paused partitions' records, in the order read; a key for every paused partition.
    private var held: [TopicPartition: [Item]] = [:]

    /// Nothing is waiting (records held for a paused partition are not waiting).
    var isEmpty: Bool { head == items.count }

    /// How many records are waiting.
    var count: Int { items.count - head }

    /// How many records are held for paused partitions.
    var heldCount: Int { held.values.reduce(0) { $0 + $1.count } }

    /// The partitions paused.
    var paused: Set<TopicPartition> { Set(held.keys) }

    /// A record read: behind every record waiting, or held if its partition is paused (a
    /// pause the client failed to apply must not let it overtake what its partition waits for).
    mutating func append(_ record: ConsumedRecord) {
        if !held.isEmpty, held[record.topicPartition] != nil {
            held[record.topicPartition, default: []].append(Item(record: record))
        } else {
            items.append(Item(record: record))
        }
    }

    /// The records waiting, in order (for the decode stage).
    var waiting: [ConsumedRecord] { items[head...].map(\.record) }

    /// Attaches the decode stage's results, one per record `waiting` gave, in its order.
    mutating func attach(_ decoded: [Decoded?]) {
        precondition(decoded.count == count, "one result per record waiting")
        for (offset, result) in decoded.enumerated() { items[head + offset].decoded = result }
    }

    /// The first record waiting, taken out.
    mutating func next() -> Item? {
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return item
    }

    /// `partitions` stop reading: their records waiting are held, in order, until `resume`.
    /// Pausing a partition already paused keeps what it holds.
    mutating func pause(_ partitions: [TopicPartition]) {
        guard !partitions.isEmpty else { return }
        for partition in partitions where held[partition] == nil { held[partition] = [] }
        for item in takeOut(Set(partitions)) { held[item.record.topicPartition, default: []].append(item) }
    }

    /// `partitions` read again: what they held goes ahead of every record waiting, each
    /// partition's in the order read. Resuming a partition not paused changes nothing.
    mutating func resume(_ partitions: [TopicPartition]) {
        var released: [Item] = []
        for partition in partitions {
            guard let partitionHeld = held.removeValue(forKey: partition) else { continue }
            released += partitionHeld
        }
        guard !released.isEmpty else { return }
        items = released + items[head...]
        head = 0
    }

    /// `partitions` are no longer this worker's: their records, held or waiting, are
    /// forgotten. Returns how many were.
    @discardableResult
    mutating func revoke(_ partitions: [TopicPartition]) -> Int {
        var forgotten = 0
        for partition in partitions {
            forgotten += held.removeValue(forKey: partition)?.count ?? 0
        }
        return forgotten + takeOut(Set(partitions)).count
    }

    /// Takes out every waiting record of `partitions`; returns, per partition that had any,
    /// the offset of its first one: where it must be read again.
    mutating func drop(_ partitions: Set<TopicPartition>) -> [TopicPartition: Int64] {
        var firstDropped: [TopicPartition: Int64] = [:]
        for item in takeOut(partitions) {
            let partition = item.record.topicPartition
            firstDropped[partition] = min(firstDropped[partition] ?? item.record.offset, item.record.offset)
        }
        return firstDropped
    }

    /// The waiting records of `partitions`, taken out in order; the others keep theirs.
    private mutating func takeOut(_ partitions: Set<TopicPartition>) -> [Item] {
        guard !isEmpty, !partitions.isEmpty else { return [] }
        var taken: [Item] = []
        var kept: [Item] = []
        kept.reserveCapacity(count)
        for item in items[head...] {
            if partitions.contains(item.record.topicPartition) { taken.append(item) } else { kept.append(item) }
        }
        items = kept
        head = 0
        return taken
    }
}
