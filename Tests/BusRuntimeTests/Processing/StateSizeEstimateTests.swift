@testable import BusRuntime
import Testing

@Suite("State size estimate")
struct StateSizeEstimateTests {
    static let start = ContinuousClock.now

    /// After a sample of 100 bytes over 10 keys at `start`, from a store of 100 keys:
    /// (keys now, seconds later, whether a new sample is taken).
    @Test("a sample is taken first, then only every 30 s or once the key count has doubled or halved",
          arguments: [
              (100, 1, false), (150, 29, false), (199, 1, false), (51, 1, false),
              (100, 30, true), (200, 1, true), (50, 1, true), (0, 60, false),
          ])
    func resampling(keys: Int, after seconds: Int, samples: Bool) {
        var estimate = StateSizeEstimate()
        #expect(estimate.needsSample(count: 100, now: Self.start), "nothing measured yet")
        estimate.record(bytes: 100, keys: 10, count: 100, now: Self.start)
        #expect(estimate.needsSample(count: keys, now: Self.start + .seconds(seconds)) == samples)
    }

    @Test("between samples the estimate follows the number of keys at the measured mean; nothing before a sample or for an empty store")
    func scaling() {
        var estimate = StateSizeEstimate()
        #expect(estimate.bytes(count: 10) == 0)
        estimate.record(bytes: 0, keys: 0, count: 10, now: Self.start)
        #expect(estimate.needsSample(count: 10, now: Self.start), "a sample of no key measured nothing")
        estimate.record(bytes: 1_250, keys: 10, count: 40, now: Self.start)
        #expect(estimate.bytes(count: 40) == 5_000)
        #expect(estimate.bytes(count: 41) == 5_125)
        #expect(estimate.bytes(count: 0) == 0)
    }
}

@Suite("Loop phases")
struct LoopPhasesTests {
    @Test("each phase sums its own durations, closing a phase moves the mark, and empty polls are counted")
    func sums() {
        var phases = LoopPhases()
        phases.add(.handle, .milliseconds(3))
        phases.add(.handle, .milliseconds(2))
        phases.add(.pollWait, .microseconds(500))
        phases.countEmptyPoll()
        #expect(phases.total(.handle) == .milliseconds(5))
        #expect(phases.totalSeconds(.pollWait) == 0.0005)
        #expect(phases.total(.poll) == .zero)
        #expect(phases.emptyPolls == 1)
        let before = ContinuousClock.now - .seconds(2)
        var mark = before
        phases.close(.deliveries, since: &mark)
        #expect(phases.total(.deliveries) >= .seconds(2))
        #expect(mark > before)
    }
}
