/// The offsets of one partition that are registered and not yet passed by the low-water mark.
///
/// Internal to `OffsetTracker`. Offsets are kept individually, in ascending order, because
/// Kafka offsets are not contiguous: compaction removes records and transaction markers take
/// offsets that are never delivered, so "the next offset" is only known once it is consumed.
struct PartitionOffsets: Sendable {
    struct Entry: Sendable {
        let offset: Int64
        let epoch: UInt64
        var done: Bool
    }

    /// Registered offsets, ascending. `entries[head...]` are live; after every mutation the
    /// entry at `head`, if any, is not done (done ones at the front are passed by the mark).
    private var entries: [Entry] = []
    private var head = 0
    /// Live entries not yet done.
    private(set) var inFlight = 0
    /// The smallest offset the next registration may carry: last registered + 1, or a seek target.
    private(set) var position: Int64
    /// The highest mark reported so far (or the starting point); reports only ever go up.
    private(set) var reported: Int64
    /// Registrations from now on carry this epoch; bumped by a seek so stale tickets miss.
    private(set) var epoch: UInt64

    init(startingAt offset: Int64, epoch: UInt64) {
        position = offset
        reported = offset
        self.epoch = epoch
    }

    /// The first offset not known to be done: the offset to store and commit.
    var lowWaterMark: Int64 {
        head < entries.count ? entries[head].offset : position
    }

    /// Appends an offset; the caller has checked it is `>= position` and `< Int64.max`.
    mutating func append(_ offset: Int64) {
        entries.append(Entry(offset: offset, epoch: epoch, done: false))
        inFlight += 1
        position = offset + 1
    }

    /// Marks a live entry done. Returns false when no live, undone entry matches offset and epoch.
    mutating func markDone(_ offset: Int64, epoch ticketEpoch: UInt64) -> Bool {
        guard let index = liveIndex(of: offset),
              entries[index].epoch == ticketEpoch,
              !entries[index].done
        else { return false }
        entries[index].done = true
        inFlight -= 1
        dropDoneHead()
        return true
    }

    /// Records that the mark has been reported; returns true only if it moved past the last report.
    mutating func takeAdvance() -> Int64? {
        let mark = lowWaterMark
        guard mark > reported else { return nil }
        reported = mark
        return mark
    }

    /// Forgets live entries at or after `offset` (they will be consumed again), moves the
    /// position there and starts a new epoch. Returns how many in-flight entries were forgotten.
    mutating func seek(to offset: Int64, epoch newEpoch: UInt64) -> Int {
        let keep = firstLiveIndex(atOrAfter: offset)
        let forgotten = entries[keep...].reduce(0) { $0 + ($1.done ? 0 : 1) }
        entries.removeSubrange(keep...)
        inFlight -= forgotten
        position = offset
        epoch = newEpoch
        dropDoneHead()
        return forgotten
    }

    private mutating func dropDoneHead() {
        while head < entries.count, entries[head].done { head += 1 }
        // Reclaim the passed prefix once it is at least half the storage: amortised O(1) per offset.
        if head > 32, head * 2 >= entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    private func liveIndex(of offset: Int64) -> Int? {
        let index = firstLiveIndex(atOrAfter: offset)
        return index < entries.count && entries[index].offset == offset ? index : nil
    }

    /// Binary search over the live, ascending entries.
    private func firstLiveIndex(atOrAfter offset: Int64) -> Int {
        var low = head
        var high = entries.count
        while low < high {
            let middle = low + (high - low) / 2
            if entries[middle].offset < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
