import BusKafka

/// Holds "latest wins" outputs for a short moment so that a burst on one key is published
/// once, with its final value.
///
/// An output replaces the pending one with the same topic and key; the inputs that waited
/// for the replaced output now wait for the new one, so they are committed only after the
/// publication that covers them. A pure value type: the caller decides when to flush.
struct CoalescingBuffer<Record: Sendable>: Sendable {
    struct Key: Hashable, Sendable {
        let topic: String
        let key: String?
    }

    /// A pending output and the inputs waiting for it.
    struct Pending: Sendable {
        var record: Record
        var tickets: [OffsetTracker.Ticket]
        /// When the first output for this key entered the buffer.
        let since: ContinuousClock.Instant
    }

    private var pending: [Key: Pending] = [:]
    private var order: [Key] = []

    /// Adds an output. Returns true when it replaced a pending one.
    @discardableResult
    mutating func add(_ record: Record, key: Key, ticket: OffsetTracker.Ticket, now: ContinuousClock.Instant) -> Bool {
        if var existing = pending[key] {
            existing.record = record
            existing.tickets.append(ticket)
            pending[key] = existing
            return true
        }
        pending[key] = Pending(record: record, tickets: [ticket], since: now)
        order.append(key)
        return false
    }

    /// The outputs held at least `linger`, or all of them when the buffer holds more than
    /// `maxKeys`, oldest first; they leave the buffer.
    mutating func takeDue(now: ContinuousClock.Instant, linger: Duration, maxKeys: Int) -> [Pending] {
        guard !order.isEmpty else { return [] }
        if pending.count > maxKeys { return takeAll() }
        var due: [Pending] = []
        while let key = order.first, let entry = pending[key], now - entry.since >= linger {
            due.append(entry)
            pending[key] = nil
            order.removeFirst()
        }
        return due
    }

    /// Everything, oldest first; the buffer is left empty.
    mutating func takeAll() -> [Pending] {
        let all = order.compactMap { pending[$0] }
        pending = [:]
        order = []
        return all
    }

    /// How many outputs are held.
    var count: Int { pending.count }

    /// When the oldest held output becomes due, if any.
    func nextDue(linger: Duration) -> ContinuousClock.Instant? {
        order.first.flatMap { pending[$0]?.since }.map { $0 + linger }
    }
}
