@testable import BusDemo
import Testing

/// When the demo's day ends (`DayEnd`), on instants alone. The full default `bus chaos` run
/// lost WEB-100190 this way: its bank transfer, the day's last event, came 20 s after the bus
/// went quiet, and the day was declared stuck in the very turn that published it.
@Suite("day end")
struct DayEndTests {
    static let start = ContinuousClock.now

    static func at(_ seconds: Double) -> ContinuousClock.Instant { start + .milliseconds(Int(seconds * 1000)) }

    @Test("the last event published after 20 s of quiet is movement: the day goes on, and is stuck only 10 s later with nothing read")
    func lateLastEventIsNotAStall() {
        var end = DayEnd(start: Self.at(0))
        end.published(100, at: Self.at(0))
        end.read(at: Self.at(1))
        // The last event is played at 21 s; none of its records is read back yet.
        end.published(101, at: Self.at(21))
        #expect(end.verdict(at: Self.at(21), allPlayed: true, sidesSettled: false) == .goOn)
        #expect(end.verdict(at: Self.at(30.9), allPlayed: true, sidesSettled: false) == .goOn)
        #expect(end.verdict(at: Self.at(31), allPlayed: true, sidesSettled: false) == .stalled)
    }

    @Test("records read back after the last event keep the day going; the same count of records published again is no movement")
    func readsMoveTheDay() {
        var end = DayEnd(start: Self.at(0))
        end.published(5, at: Self.at(2))
        end.read(at: Self.at(8))
        end.published(5, at: Self.at(15))
        #expect(end.verdict(at: Self.at(17.9), allPlayed: true, sidesSettled: false) == .goOn)
        #expect(end.verdict(at: Self.at(18), allPlayed: true, sidesSettled: false) == .stalled)
    }

    @Test("settled once both sides are and nothing moved for 1.5 s; an event just published is waited for even when both sides look settled",
          arguments: [(publishedAt: 0.0, now: 1.5, expected: DayEnd.Verdict.settled),
                      (publishedAt: 0.0, now: 1.4, expected: .goOn),
                      (publishedAt: 20.0, now: 20.1, expected: .goOn),
                      (publishedAt: 20.0, now: 21.5, expected: .settled)])
    func settles(publishedAt: Double, now: Double, expected: DayEnd.Verdict) {
        var end = DayEnd(start: Self.at(0))
        end.published(1, at: Self.at(publishedAt))
        #expect(end.verdict(at: Self.at(now), allPlayed: true, sidesSettled: true) == expected)
    }

    @Test("inputs waiting for a worker keep a quiet day going up to 60 s; none waiting, it is stuck after 10 s",
          arguments: [(now: 10.0, waiting: true, expected: DayEnd.Verdict.goOn),
                      (now: 59.9, waiting: true, expected: .goOn),
                      (now: 60.0, waiting: true, expected: .stalled),
                      (now: 10.0, waiting: false, expected: .stalled),
                      (now: 9.9, waiting: false, expected: .goOn)])
    func inputsWaitingKeepItGoing(now: Double, waiting: Bool, expected: DayEnd.Verdict) {
        let end = DayEnd(start: Self.at(0))
        #expect(end.verdict(at: Self.at(now), allPlayed: true, sidesSettled: false, inputsWaiting: waiting) == expected)
    }

    @Test("events still to play: the day goes on whatever the quiet")
    func notAllPlayed() {
        let end = DayEnd(start: Self.at(0))
        #expect(end.verdict(at: Self.at(60), allPlayed: false, sidesSettled: true) == .goOn)
    }
}

/// When the demo's opening is stuck (`DayEnd.openingStalled`): the fault test of `bus chaos`
/// lost the opening's outputs and then waited out the run's 300 s timeout, past its own.
@Suite("opening stall")
struct OpeningStallTests {
    static func at(_ seconds: Double) -> ContinuousClock.Instant { DayEndTests.at(seconds) }

    @Test("stuck after 30 s with nothing read or published and no input waiting; inputs waiting for a worker, or a record read, keep it going",
          arguments: [(lastRead: 0.0, now: 30.0, waiting: false, stalled: true),
                      (lastRead: 0.0, now: 29.9, waiting: false, stalled: false),
                      (lastRead: 0.0, now: 90.0, waiting: true, stalled: false),
                      (lastRead: 50.0, now: 79.9, waiting: false, stalled: false),
                      (lastRead: 50.0, now: 80.0, waiting: false, stalled: true)])
    func stalls(lastRead: Double, now: Double, waiting: Bool, stalled: Bool) {
        var opening = DayEnd(start: Self.at(0))
        opening.read(at: Self.at(lastRead))
        #expect(opening.openingStalled(at: Self.at(now), inputsWaiting: waiting) == stalled)
    }

    @Test("records published count as movement in the opening too")
    func publishingMoves() {
        var opening = DayEnd(start: Self.at(0))
        opening.published(3, at: Self.at(25))
        #expect(!opening.openingStalled(at: Self.at(54.9), inputsWaiting: false))
        #expect(opening.openingStalled(at: Self.at(55), inputsWaiting: false))
    }
}
