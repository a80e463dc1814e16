import BusSchema

/// The latest records read into the global tables, numbered, so the processing loop can tell
/// a flow what arrived since it last looked (`Flow.tableChanged`). A bounded window: a
/// loop further behind than `capacity` records misses the older ones, and is told so.
struct TableFeed: Sendable {
    /// How many records are kept: a catalogue republished whole passes through in a few turns.
    static let capacity = 8192

    private var window: [FlowInput] = []
    /// The number of the first record in `window` (records are numbered from 1).
    private var first: UInt64 = 1

    /// The number of the latest record (0 before any).
    var end: UInt64 { first + UInt64(window.count) - 1 }

    mutating func append(_ record: FlowInput) {
        window.append(record)
        if window.count > Self.capacity {
            let excess = window.count - Self.capacity
            window.removeFirst(excess)
            first += UInt64(excess)
        }
    }

    /// The records numbered after `cursor`, the new cursor, and how many were no longer kept.
    func records(after cursor: UInt64) -> (records: [FlowInput], cursor: UInt64, missed: UInt64) {
        guard cursor < end else { return ([], max(cursor, end), 0) }
        let from = max(cursor + 1, first)
        let missed = from - (cursor + 1)
        return (Array(window[Int(from - first)...]), end, missed)
    }
}
