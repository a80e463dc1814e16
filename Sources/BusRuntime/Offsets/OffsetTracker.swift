import BusKafka

/// The contiguous low-water mark of each input partition: which offset may be stored and committed.
///
/// A pure value type: every event returns what the caller should do (store an offset, nothing,
/// or log an ignored event); it performs no I/O and never traps, whatever order events come in.
///
/// Per partition, inputs are registered in offset order when consumed and marked done, in any
/// order, when all their outputs are acknowledged. The mark is the first registered offset that
/// is not done, or last registered + 1 when all are: exactly the offset Kafka expects to be
/// stored ("next to read"), so a slow output of an early input holds back every later offset.
/// Offsets may have gaps (compaction, transaction markers); only registered offsets count.
///
/// Reports only ever move forward within a partition's tracking: after a seek backwards the
/// mark may be lower than what was reported, and is reported again once it passes that.
public struct OffsetTracker: Sendable {
    /// Proof that one offset was registered, to hand back when it is done.
    ///
    /// A ticket from before a seek that discarded its offset, or from before the partition was
    /// revoked (even if it was assigned again since), is ignored: late delivery reports of
    /// abandoned work can never mark the re-consumed input done.
    public struct Ticket: Sendable, Hashable, CustomStringConvertible {
        /// The partition the input was read from.
        public let partition: TopicPartition
        /// The input's offset.
        public let offset: Int64
        let epoch: UInt64

        /// `topic[partition]@offset`.
        public var description: String { "\(partition)@\(offset)" }
    }

    /// Why an event changed nothing. Never a reason to crash: the caller logs it at most.
    public enum Rejection: Sendable, Hashable {
        /// The offset is negative or `Int64.max`: not a real record offset.
        case invalidOffset
        /// Registration at an offset below one already registered (or below a seek target):
        /// offsets must be registered in consumption order.
        case behindPosition(expectedAtLeast: Int64)
        /// The partition is not tracked (revoked, or never registered).
        case unknownPartition
        /// The offset is not in flight: never registered, already done, or discarded by a seek
        /// or a revoke since its ticket was issued.
        case notInFlight
    }

    /// The answer to a registration.
    public enum Registration: Sendable, Hashable {
        /// The offset is in flight; keep the ticket with the input until its outputs are acknowledged.
        case tracked(Ticket)
        /// The offset was not registered; the tracker is unchanged.
        case rejected(Rejection)
    }

    /// The answer to marking an input done.
    public enum Completion: Sendable, Hashable {
        /// The mark moved: store this offset (the next to read) for the ticket's partition.
        case advanced(storeOffset: Int64)
        /// Recorded, but the mark did not move (an earlier offset is still in flight).
        case noAdvance
        /// Nothing was recorded.
        case ignored(Rejection)
    }

    /// The answer to a seek.
    public enum SeekResult: Sendable, Hashable {
        /// The partition now expects registrations from the seek offset; this many in-flight
        /// offsets at or after it were discarded (their tickets are now ignored).
        case repositioned(discardedInFlight: Int)
        /// The offset is not a real record offset; nothing changed.
        case rejected(Rejection)
    }

    /// What was left of a partition when it was dropped.
    public struct Revocation: Sendable, Hashable {
        /// The mark at the time: the offset that may still be stored for it, if not yet stored.
        public let lowWaterMark: Int64
        /// Inputs registered but not done, now abandoned: they will be consumed again.
        public let abandonedInFlight: Int
    }

    private var partitions: [TopicPartition: PartitionOffsets] = [:]
    private var lastEpoch: UInt64 = 0

    /// An empty tracker.
    public init() {}

    /// Registers a consumed input as in flight. Offsets of one partition must come in
    /// ascending order (gaps allowed); the first one starts tracking the partition.
    public mutating func register(_ offset: Int64, in partition: TopicPartition) -> Registration {
        guard Self.isRecordOffset(offset) else { return .rejected(.invalidOffset) }
        if partitions[partition] == nil {
            partitions[partition] = PartitionOffsets(startingAt: offset, epoch: newEpoch())
        }
        // Read scalars and mutate through optional chaining, so the stored value is changed in
        // place: holding a copy of it across the mutation would copy its offsets on every call.
        guard let position = partitions[partition]?.position,
              let epoch = partitions[partition]?.epoch
        else { return .rejected(.unknownPartition) }
        guard offset >= position else { return .rejected(.behindPosition(expectedAtLeast: position)) }
        partitions[partition]?.append(offset)
        return .tracked(Ticket(partition: partition, offset: offset, epoch: epoch))
    }

    /// Marks an input done (all its outputs acknowledged), in any order.
    /// Reports `.advanced` only when the partition's mark moves past the last report.
    public mutating func markDone(_ ticket: Ticket) -> Completion {
        guard let marked = partitions[ticket.partition]?.markDone(ticket.offset, epoch: ticket.epoch) else {
            return .ignored(.unknownPartition)
        }
        guard marked else { return .ignored(.notInFlight) }
        guard let mark = partitions[ticket.partition]?.takeAdvance() else { return .noAdvance }
        return .advanced(storeOffset: mark)
    }

    /// Records that the consumer was repositioned to `offset` (a seek, or an assignment at a
    /// committed offset). In-flight offsets at or after it are discarded, since they will be
    /// consumed and registered again; earlier ones stay in flight. Never reports an advance:
    /// the next completion does. Starts tracking the partition if it was not tracked.
    public mutating func seek(_ partition: TopicPartition, to offset: Int64) -> SeekResult {
        guard Self.isRecordOffset(offset) else { return .rejected(.invalidOffset) }
        let epoch = newEpoch()
        guard let discarded = partitions[partition]?.seek(to: offset, epoch: epoch) else {
            partitions[partition] = PartitionOffsets(startingAt: offset, epoch: epoch)
            return .repositioned(discardedInFlight: 0)
        }
        return .repositioned(discardedInFlight: discarded)
    }

    /// Stops tracking a partition (revoked or lost). Returns what was left, or nil if it was
    /// not tracked. Its outstanding tickets are ignored from now on, even after reassignment.
    public mutating func revoke(_ partition: TopicPartition) -> Revocation? {
        guard let state = partitions.removeValue(forKey: partition) else { return nil }
        return Revocation(lowWaterMark: state.lowWaterMark, abandonedInFlight: state.inFlight)
    }

    /// The partition's current mark (the offset to store), or nil if it is not tracked.
    public func lowWaterMark(of partition: TopicPartition) -> Int64? {
        partitions[partition]?.lowWaterMark
    }

    /// The offset after the last input registered (handled or in flight), or nil if the
    /// partition is not tracked.
    public func position(of partition: TopicPartition) -> Int64? {
        partitions[partition]?.position
    }

    /// How many inputs of the partition are registered and not done (0 if not tracked).
    public func inFlightCount(of partition: TopicPartition) -> Int {
        partitions[partition]?.inFlight ?? 0
    }

    /// How many inputs are in flight across all partitions: 0 means everything consumed is done.
    public var totalInFlight: Int {
        partitions.values.reduce(0) { $0 + $1.inFlight }
    }

    /// The tracked partitions, sorted by topic then partition.
    public var trackedPartitions: [TopicPartition] {
        partitions.keys.sorted()
    }

    private mutating func newEpoch() -> UInt64 {
        lastEpoch &+= 1
        return lastEpoch
    }

    /// Kafka record offsets are 0 or more; negative values are logical (beginning, end, stored),
    /// and `Int64.max` is excluded so that "offset + 1" always exists.
    private static func isRecordOffset(_ offset: Int64) -> Bool {
        offset >= 0 && offset < Int64.max
    }
}
