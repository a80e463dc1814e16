/// The wait before the workers stop: until the journal is read to the end of every partition
/// and every group has committed its inputs to their end as the journal reads them, or the
/// deadline passes.
///
/// Both conditions, each turn: a group's lag is counted against the records the journal has
/// read, so a journal that stopped short shows a worker's next hop (customer-sync's re-keyed
/// record, which it reads back as an input) as no lag at all.
struct GroupDrain {
    /// What one turn found: partitions the journal has not read to their end, and the groups
    /// with inputs not yet committed (by name, with how many).
    struct Turn: Equatable {
        var gaps: Int
        var lagging: [String: Int]

        var isDrained: Bool { gaps == 0 && lagging.values.allSatisfy { $0 == 0 } }
    }

    /// Runs `turn` until one finds everything drained or `deadline` passes (at least once);
    /// `pause` between turns. Returns the last turn's groups that still had inputs left.
    static func wait(until deadline: ContinuousClock.Instant, pause: () -> Void, turn: () throws -> Turn) rethrows -> [String: Int] {
        while true {
            let found = try turn()
            if found.isDrained { return [:] }
            if ContinuousClock.now >= deadline { return found.lagging.filter { $0.value > 0 } }
            pause()
        }
    }
}
