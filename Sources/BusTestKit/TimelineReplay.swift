import BusRuntime
import BusSchema
import Foundation

/// Crash-and-replay runs of a flow's partition, for replay-equivalence tests.
public struct TimelineReplay<F: Flow> {
    /// Every input handled once.
    public var straight: FlowTimeline<F>
    /// The run that crashed after `crashAfter` inputs (what readers saw of its first life).
    public var crashed: FlowTimeline<F>
    /// Its second life: restored from the crashed run's changelog, inputs again from `replayFrom`.
    public var replayed: FlowTimeline<F>

    /// Runs every input, then again crashing after input `crashAfter`, restoring from the
    /// changelog written so far and handling the inputs again from `replayFrom` (the last
    /// commit: at or before the crash), as a restarted worker would. `endAt`: an idle tick at
    /// the end of both runs.
    public init(_ flow: F, inputs: [FlowInput], tables: any TableLookup, crashAfter: Int, replayFrom: Int, endAt: Instant? = nil) throws {
        straight = FlowTimeline(flow: flow)
        for input in inputs { try straight.feed(input, tables: tables) }
        if let endAt { try straight.advance(to: endAt, tables: tables) }
        crashed = FlowTimeline(flow: flow)
        for input in inputs.prefix(crashAfter) { try crashed.feed(input, tables: tables) }
        replayed = try FlowTimeline(flow: flow, restoring: crashed.changelog)
        for input in inputs.dropFirst(replayFrom) { try replayed.feed(input, tables: tables) }
        if let endAt { try replayed.advance(to: endAt, tables: tables) }
    }

    /// The outputs readers saw, by id, over both lives of the crashed run; nil when one id was
    /// written with two different values (a replay that readers could not deduplicate).
    public var replayedOutputsByID: [String: Data?]? { Self.byID(crashed.outputs + replayed.outputs) }

    /// The outputs of the straight run, by id; nil as above.
    public var straightOutputsByID: [String: Data?]? { Self.byID(straight.outputs) }

    /// The keys whose last changelog record is a tombstone, over both lives of the crashed run.
    public var replayedTombstones: Set<String> { Self.tombstones(crashed.changelog + replayed.changelog) }

    /// The same for the straight run.
    public var straightTombstones: Set<String> { Self.tombstones(straight.changelog) }

    static func byID(_ written: [FlowTimeline<F>.Written]) -> [String: Data?]? {
        var values: [String: Data?] = [:]
        for record in written {
            guard let id = record.id else { continue }
            if let seen = values[id], seen != record.value { return nil }
            values[id] = record.value
        }
        return values
    }

    static func tombstones(_ changelog: [FlowTimeline<F>.Written]) -> Set<String> {
        var last: [String: Data?] = [:]
        for record in changelog { if let key = record.key { last[key] = record.value } }
        return Set(last.filter { $0.value == nil }.keys)
    }
}

extension TimelineReplay {
    /// Crashes a partition after every input of every run in `firsts`, each time losing the
    /// changelog of what followed (the outputs were delivered, their changelog was not), and
    /// replays `replaysPerCrash` runs that `replay` picks (another interleaving of the same
    /// co-partitioned topics) over the changelog restored so far, as a successor would.
    /// `run` feeds inputs to a timeline (`toCrash` true for the run cut short by the crash).
    /// `check` gets everything readers saw over both lives and a description of the case; a
    /// false stops the search. Returns the replays checked.
    @discardableResult
    public static func everyCrash(of firsts: [[FlowInput]], flow: F, replaysPerCrash: Int, replay: () -> [FlowInput],
                                  run: (_ inputs: [FlowInput], _ from: FlowTimeline<F>, _ toCrash: Bool) throws -> FlowTimeline<F>,
                                  check: (_ delivered: [FlowTimeline<F>.Written], _ description: String) -> Bool) throws -> Int {
        var replays = 0
        for first in firsts {
            let written = try run(first, FlowTimeline(flow: flow), false)
            for crashAt in 0..<first.count {
                let restored = try run(Array(first.prefix(crashAt)), FlowTimeline(flow: flow), true)
                for _ in 0..<replaysPerCrash {
                    let again = replay()
                    let replayed = try run(again, try FlowTimeline(flow: flow, restoring: restored.changelog), false)
                    replays += 1
                    let description = "first \(first.map(\.envelope.id)), crash after \(crashAt), replay \(again.map(\.envelope.id))"
                    guard check(written.outputs + replayed.outputs, description) else { return replays }
                }
            }
        }
        return replays
    }
}
