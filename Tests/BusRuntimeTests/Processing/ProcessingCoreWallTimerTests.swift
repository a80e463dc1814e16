import BusKafka
@testable import BusRuntime
import BusSchema
import Foundation
import Testing

/// Wall-clock timers (`TimerClock.wall`, a request's deadline) in the processing core, on
/// actions alone: due by the wall clock whatever the partition's clock says, and moved
/// between clocks when a key's value asks for the other.
@Suite("Processing core: wall-clock timers")
struct ProcessingCoreWallTimerTests {
    typealias Timers = ProcessingCoreTimerTests
    static let t0 = Timers.t0

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var inputs: [Int64]
        var wall: Int64
        var expect: [String]
        var description: String { name }
    }

    @Test("a wall-clock timer fires when the wall clock reaches it, whatever the inputs' time; one on the partition's clock does not", arguments: [
        Row(name: "no input, wall clock before the moment: nothing", inputs: [], wall: 99, expect: []),
        Row(name: "no input since the assignment, wall clock at the moment: the deadline fires", inputs: [], wall: 100, expect: ["0 q@100"]),
        Row(name: "inputs dated long ago, wall clock past: the deadline fires, retention does not", inputs: [5], wall: 150, expect: ["0 q@100"]),
        Row(name: "input time past the retention, wall clock before the deadline: only retention", inputs: [120], wall: 50, expect: ["0 r@110"]),
        Row(name: "both reached: both, in one firing", inputs: [120], wall: 150, expect: ["0 r@110,q@100"]),
    ])
    func firing(_ row: Row) {
        var core = Timers.core(idleTick: nil)
        core.scheduled(partition: 0, key: "q", due: Timers.at(100), byWallClock: true)
        core.scheduled(partition: 0, key: "r", due: Timers.at(110))
        for input in row.inputs { core.observed(inputTime: Timers.at(input), partition: 0, now: Self.t0) }
        #expect(Timers.wakes(core.dueTimers(now: Self.t0, wallNow: Timers.at(row.wall))) == row.expect, "\(row.name)")
        #expect(Timers.wakes(core.dueTimers(now: Self.t0, wallNow: Timers.at(row.wall))) == [], "what fired is gone")
    }

    @Test("a key moved to the other clock keeps one timer: the one its latest value asks for")
    func movedBetweenClocks() {
        var core = Timers.core(idleTick: nil)
        core.scheduled(partition: 0, key: "k", due: Timers.at(100), byWallClock: true)
        core.scheduled(partition: 0, key: "k", due: Timers.at(300))
        #expect(core.timerCount == 1)
        #expect(Timers.wakes(core.dueTimers(now: Self.t0, wallNow: Timers.at(200))) == [], "the wall timer is gone")
        core.observed(inputTime: Timers.at(300), partition: 0, now: Self.t0)
        #expect(Timers.wakes(core.dueTimers(now: Self.t0, wallNow: Timers.at(200))) == ["0 k@300"])
        core.scheduled(partition: 0, key: "k", due: nil, byWallClock: true)
        #expect(core.timerCount == 0)
    }

    @Test("restored timers go back to their clocks; a revoked partition's go with it")
    func restoredAndForgotten() {
        var core = Timers.core(idleTick: nil)
        core.restoredTimers(partition: 0, [(FlowTimer(key: "q", due: Timers.at(100)), true), (FlowTimer(key: "r", due: Timers.at(100)), false)])
        #expect(Timers.wakes(core.dueTimers(now: Self.t0, wallNow: Timers.at(100))) == ["0 q@100"], "no input time: only the wall timer")
        core.forgetTimers(of: [0])
        #expect(core.timerCount == 0)
    }
}
