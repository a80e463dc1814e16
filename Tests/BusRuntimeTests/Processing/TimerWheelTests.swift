@testable import BusRuntime
import BusSchema
import Testing

/// The timer wheel and the partition clock alone: pure values, no flow, no Kafka.
@Suite("Timers: the wheel and the partition clock")
struct TimerWheelTests {
    static func at(_ seconds: Int64) -> Instant { Instant(secondsSinceEpoch: 1_900_000_000 + seconds)! }

    /// A step on a wheel: schedule (key, moment or nil) or take what is due at a moment.
    enum Step: Sendable, CustomStringConvertible {
        case schedule(String, Int64?)
        case take(Int64, expect: [String])

        var description: String {
            switch self {
            case .schedule(let key, let at): "schedule \(key)@\(at.map(String.init) ?? "nil")"
            case .take(let at, let keys): "take@\(at)=\(keys)"
            }
        }
    }

    @Test("the wheel gives each key's latest moment once, earliest first, ties by key", arguments: [
        ("earliest first", [Step.schedule("b", 20), .schedule("a", 10), .schedule("c", 30), .take(25, expect: ["a", "b"]), .take(100, expect: ["c"])]),
        ("a moment is inclusive", [.schedule("a", 10), .take(9, expect: []), .take(10, expect: ["a"])]),
        ("ties by key", [.schedule("z", 5), .schedule("m", 5), .schedule("a", 5), .take(5, expect: ["a", "m", "z"])]),
        ("rescheduled later: the old moment is gone", [.schedule("a", 10), .schedule("a", 50), .take(20, expect: []), .take(50, expect: ["a"])]),
        ("rescheduled earlier", [.schedule("a", 50), .schedule("a", 10), .take(10, expect: ["a"]), .take(60, expect: [])]),
        ("removed", [.schedule("a", 10), .schedule("a", nil), .take(100, expect: [])]),
        ("back and forth fires once", [.schedule("a", 10), .schedule("a", 20), .schedule("a", 10), .take(30, expect: ["a"])]),
        ("taken: none until scheduled again", [.schedule("a", 10), .take(10, expect: ["a"]), .take(20, expect: []), .schedule("a", 15), .take(20, expect: ["a"])]),
    ] as [(String, [Step])])
    func wheel(_ name: String, _ steps: [Step]) {
        var wheel = TimerWheel()
        for step in steps {
            switch step {
            case .schedule(let key, let at): wheel.schedule(key, at: at.map(Self.at))
            case .take(let at, let keys): #expect(wheel.takeDue(at: Self.at(at)).map(\.key) == keys, "\(name): \(step)")
            }
        }
    }

    @Test("many reschedules keep the heap the size of the keys and the order right")
    func manyReschedules() {
        var wheel = TimerWheel()
        for round in 0..<50 {
            for key in 0..<100 { wheel.schedule("k\(key)", at: Self.at(Int64(1000 + (key * 7 + round) % 100))) }
        }
        #expect(wheel.count == 100)
        let due = wheel.takeDue(at: Self.at(10_000))
        #expect(due.count == 100)
        #expect(due.map(\.due) == due.map(\.due).sorted())
        #expect(Set(due.map(\.key)).count == 100)
    }

    @Test("the clock follows input time, never back; idle, it runs on from the last input at the wall clock's pace")
    func clock() {
        let t0 = ContinuousClock.now
        var clock = PartitionClock()
        #expect(clock.tick(at: t0 + .seconds(3600), idleAfter: .seconds(30)) == nil, "before its first input it stands still")
        clock.observe(input: Self.at(100), at: t0)
        clock.observe(input: Self.at(50), at: t0)
        #expect(clock.now == Self.at(100), "an older input does not move the clock back")
        #expect(clock.tick(at: t0 + .seconds(10), idleAfter: .seconds(30)) == Self.at(100), "not idle yet")
        #expect(clock.tick(at: t0 + .seconds(40), idleAfter: .seconds(30)) == Self.at(140), "idle: 40 s after the last input")
        #expect(clock.tick(at: t0 + .seconds(90), idleAfter: nil) == Self.at(140), "no idle ticks: input time only")
        clock.observe(input: Self.at(120), at: t0 + .seconds(91))
        #expect(clock.now == Self.at(140), "a late input does not move an idle-ticked clock back")
        #expect(clock.inputTime == Self.at(120))
    }
}
