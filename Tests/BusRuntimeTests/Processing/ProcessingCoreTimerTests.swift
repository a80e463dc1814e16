import BusKafka
@testable import BusRuntime
import BusSchema
import Foundation
import Testing

/// Timers in the processing core, on actions alone: input time or an idle tick makes a timer
/// due; a firing's outputs go before its changelog records.
@Suite("Processing core: timers on input time and idle ticks")
struct ProcessingCoreTimerTests {
    typealias Core = ProcessingCore<Int>
    static let t0 = ContinuousClock.now
    static func at(_ seconds: Int64) -> Instant { Instant(secondsSinceEpoch: 1_900_000_000 + seconds)! }
    /// A firing's state change: its key removed (a tombstone on the changelog).
    static let removal: [(String, Int?)] = [("k", nil)]

    static func core(idleTick: Duration?) -> Core {
        var core = ProcessingCoreTests.core()
        var options = core.settings.options
        options.idleTimerTick = idleTick
        core = Core(settings: .init(worker: "w", deadLetterTopic: "bus.dlq.w", changelogTopic: "bus.w.state", isStateful: true,
                                    deadLetterLimit: 1_000_000, options: options), codec: RecordCodec(worker: "w", registry: MessageRegistry([])))
        _ = core.assigned([ProcessingCoreTests.input])
        return core
    }

    /// What fires, as "partition key@seconds" lines.
    static func wakes(_ actions: [Core.Action]) -> [String] {
        actions.compactMap { action in
            guard case .wake(let partition, let timers) = action else { return nil }
            return "\(partition) " + timers.map { "\($0.key)@\($0.due.secondsSinceEpoch - 1_900_000_000)" }.joined(separator: ",")
        }
    }

    /// A row: input times observed (seconds), then a tick `quiet` seconds of wall time later.
    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var idleTick: Duration?
        var inputs: [Int64]
        var quiet: Int
        var expect: [String]
        var description: String { name }
    }

    @Test("a timer fires when input time reaches it, or when the partition is idle and its clock runs on to it", arguments: [
        Row(name: "input time before the moment: nothing", idleTick: nil, inputs: [50], quiet: 3600, expect: []),
        Row(name: "input time at the moment: fires", idleTick: nil, inputs: [50, 100], quiet: 0, expect: ["0 a@100"]),
        Row(name: "input time past both: both, earliest first", idleTick: nil, inputs: [500], quiet: 0, expect: ["0 a@100,b@200"]),
        Row(name: "an older input after a newer: the clock stays", idleTick: nil, inputs: [150, 20], quiet: 0, expect: ["0 a@100"]),
        Row(name: "idle 50 s after an input at 50: the clock runs on to 100 and fires", idleTick: .seconds(30), inputs: [50], quiet: 50, expect: ["0 a@100"]),
        Row(name: "idle 49 s: not yet", idleTick: .seconds(30), inputs: [50], quiet: 49, expect: []),
        Row(name: "idle, not long enough: nothing", idleTick: .seconds(30), inputs: [90], quiet: 29, expect: []),
        Row(name: "idle ticks off (replay, simulation): nothing", idleTick: nil, inputs: [50], quiet: 3600, expect: []),
        Row(name: "no input since the assignment: the clock stands still", idleTick: .seconds(30), inputs: [], quiet: 3600, expect: []),
    ])
    func firing(_ row: Row) {
        var core = Self.core(idleTick: row.idleTick)
        core.scheduled(partition: 0, key: "a", due: Self.at(100))
        core.scheduled(partition: 0, key: "b", due: Self.at(200))
        for input in row.inputs { core.observed(inputTime: Self.at(input), partition: 0, now: Self.t0) }
        let actions = core.dueTimers(now: Self.t0 + .seconds(row.quiet))
        #expect(Self.wakes(actions) == row.expect, "\(row.name)")
        // What fired is gone: the same tick again fires nothing.
        #expect(Self.wakes(core.dueTimers(now: Self.t0 + .seconds(row.quiet))) == [])
    }

    @Test("a key that an input in flight changed waits until that input is done")
    func busyKeyWaits() throws {
        var core = ProcessingCoreTests.core()
        let handled = ProcessingCoreTests.handle(&core, 0, value: 1)
        core.scheduled(partition: 0, key: "k", due: Self.at(10))
        core.observed(inputTime: Self.at(100), partition: 0, now: Self.t0)
        #expect(Self.wakes(core.dueTimers(now: Self.t0)) == [], "its output is not delivered yet")
        let delivered = core.delivered(try #require(ProcessingCoreTests.delivery(of: handled, .ok)), now: ProcessingCoreTests.now)
        #expect(Self.wakes(core.dueTimers(now: Self.t0)) == ["0 k@10"], "done (\(delivered.map(ProcessingCoreTests.describe)))")
    }

    @Test("a firing's outputs go first; its changelog records once they are delivered")
    func outputsBeforeChangelog() throws {
        var core = ProcessingCoreTests.core()
        let sent = core.admitWork(partition: 0, outputs: [ProcessingCoreTests.output, ProcessingCoreTests.output], changes: Self.removal)
        #expect(sent.map(ProcessingCoreTests.describe) == ["produce out#1", "produce out#1"])
        let first = try #require(ProcessingCoreTests.delivery(of: sent, .ok))
        #expect(core.delivered(first, now: ProcessingCoreTests.now).map(ProcessingCoreTests.describe) == ["delivered t"])
        #expect(core.delivered(first, now: ProcessingCoreTests.now).map(ProcessingCoreTests.describe) == ["delivered t", "produce bus.w.state#1"])
        #expect(core.delivered(first, now: ProcessingCoreTests.now).map(ProcessingCoreTests.describe) == ["delivered t"],
                "the firing's outputs are settled: a late report writes nothing more")
    }

    @Test("a firing with no output writes its changelog at once; a refused output still lets it be written")
    func noOutputsAndRefused() throws {
        var core = ProcessingCoreTests.core()
        #expect(core.admitWork(partition: 0, outputs: [], changes: Self.removal).map(ProcessingCoreTests.describe) == ["produce bus.w.state#1"])
        let sent = core.admitWork(partition: 0, outputs: [ProcessingCoreTests.output], changes: Self.removal)
        let refused = core.delivered(try #require(ProcessingCoreTests.delivery(of: sent, .refused)), now: ProcessingCoreTests.now)
        #expect(refused.map(ProcessingCoreTests.describe) == ["refused out", "produce bus.w.state#1"])
    }

    @Test("a firing's changelog record refused by Kafka stops the worker, as an input's does: state is never dropped silently")
    func refusedChangelogStops() throws {
        var core = ProcessingCoreTests.core()
        let sent = core.admitWork(partition: 0, outputs: [ProcessingCoreTests.output], changes: Self.removal)
        let written = core.delivered(try #require(ProcessingCoreTests.delivery(of: sent, .ok)), now: ProcessingCoreTests.now)
        let refused = core.delivered(try #require(ProcessingCoreTests.delivery(of: written, .refused)), now: ProcessingCoreTests.now)
        #expect(refused.contains { if case .stop = $0 { true } else { false } }, "\(refused.map(ProcessingCoreTests.describe))")
    }

    @Test("a revoked partition's timers, clock and work are forgotten")
    func revokeForgets() throws {
        var core = ProcessingCoreTests.core()
        core.scheduled(partition: 0, key: "a", due: Self.at(10))
        core.observed(inputTime: Self.at(5), partition: 0, now: Self.t0)
        let sent = core.admitWork(partition: 0, outputs: [ProcessingCoreTests.output], changes: Self.removal)
        _ = core.revoked([ProcessingCoreTests.input])
        #expect(core.timerCount == 0)
        #expect(core.time.clocks.isEmpty)
        #expect(core.delivered(try #require(ProcessingCoreTests.delivery(of: sent, .ok)), now: ProcessingCoreTests.now).isEmpty,
                "the next owner restores the timer and fires it: nothing of this firing is written here")
    }
}
