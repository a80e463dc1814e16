import BusKafka

/// Operators' commands waiting for their state partition to catch up with its inputs.
///
/// An operator decides on what the site showed: an order held. The instance that now owns the
/// order's partition may not have handled that order yet: it took the partition over from a
/// worker killed before the order's state was written, and replays the order after its
/// restore. A release run then would answer "unknown order". So a command waits until every
/// input partition of its state partition has handled what it held when the command was read
/// (its high watermark then), or `patience` has passed (an input partition that cannot catch
/// up should not keep an operator waiting for ever).
///
/// A pure value: the loop parks, asks what is ready, and runs it.
struct CommandGate<Command>: Sendable where Command: Sendable {
    struct Parked: Sendable {
        var command: Command
        var partition: Int32
        /// Per input partition, the offset its handled inputs must reach.
        var targets: [TopicPartition: Int64]
        /// Per input partition, where its inputs start when none is handled here yet.
        var committed: [TopicPartition: Int64]
        var since: ContinuousClock.Instant
    }

    private(set) var parked: [Parked] = []
    /// How long a command waits at most.
    let patience: Duration

    init(patience: Duration = .seconds(30)) {
        self.patience = patience
    }

    /// The offsets a command waits for: each input partition's end when it came. An empty
    /// partition is left out: it holds nothing to handle, and may have no committed offset
    /// to stand for the position (a group commits nothing for a partition it never read).
    static func targets(ends: [TopicPartition: (low: Int64, high: Int64)]) -> [TopicPartition: Int64] {
        ends.compactMapValues { $0.high > $0.low ? $0.high : nil }
    }

    /// Whether a command for these targets may run now. `position` gives the offset after the
    /// last input handled here (nil: none since the assignment), `committed` where reading
    /// started.
    static func isReached(_ targets: [TopicPartition: Int64], committed: [TopicPartition: Int64],
                          position: (TopicPartition) -> Int64?) -> Bool {
        targets.allSatisfy { partition, target in (position(partition) ?? committed[partition] ?? -1) >= target }
    }

    /// Parks a command until its targets are reached.
    mutating func park(_ command: Command, partition: Int32, targets: [TopicPartition: Int64], committed: [TopicPartition: Int64],
                       now: ContinuousClock.Instant) {
        parked.append(Parked(command: command, partition: partition, targets: targets, committed: committed, since: now))
    }

    /// Takes out the commands that may run, in the order parked: caught up, or waited
    /// `patience` (`late` says which). Those of partitions no longer owned are dropped: the
    /// operator's resend reaches the new owner.
    mutating func takeReady(now: ContinuousClock.Instant, owned: (Int32) -> Bool,
                            position: (TopicPartition) -> Int64?) -> [(command: Command, partition: Int32, late: Bool)] {
        var ready: [(command: Command, partition: Int32, late: Bool)] = []
        parked.removeAll { entry in
            guard owned(entry.partition) else { return true }
            if Self.isReached(entry.targets, committed: entry.committed, position: position) {
                ready.append((entry.command, entry.partition, false))
                return true
            }
            guard now - entry.since >= patience else { return false }
            ready.append((entry.command, entry.partition, true))
            return true
        }
        return ready
    }
}
