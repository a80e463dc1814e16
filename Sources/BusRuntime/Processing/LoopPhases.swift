/// Where the processing loop's wall time goes, by phase: summed on the loop's thread with a
/// monotonic clock (two clock reads per phase, no lock, nothing per record but the sums) and
/// published as `bus_loop_seconds_total{phase}` with the other gauges.
///
/// The phases follow one turn of the loop (`ProcessingLoop.step`) and cover it without
/// overlap, so their sum is the loop's time: a loop that waits shows it in `poll_wait`, one
/// that works shows it in `handle`. `produce` is the one exception, an "of which": the time
/// inside `rd_kafka_produceva`, counted inside the phase that produced.
struct LoopPhases: Sendable {
    /// One part of a turn.
    enum Phase: String, CaseIterable, Sendable {
        /// Delivery reports fed to the core, restores finished (and what they produce).
        case deliveries
        /// Ticks, timers, gauges, control requests: everything a turn does before reading.
        case housekeeping
        /// A poll that returned a record or event: librdkafka handing it over.
        case poll
        /// A poll that returned nothing: the loop waited for an input.
        case pollWait = "poll_wait"
        /// Records read ahead without waiting and decoded on the decode threads.
        case readAhead = "read_ahead"
        /// A record decoded, handled by the flow, its outputs encoded and produced.
        case handle
        /// Of which: inside librdkafka's produce call.
        case produce
    }

    private var seconds = [Duration](repeating: .zero, count: Phase.allCases.count)
    /// Polls that returned nothing.
    private(set) var emptyPolls = 0

    /// Adds the time since `mark` to `phase` and moves `mark` to now.
    mutating func close(_ phase: Phase, since mark: inout ContinuousClock.Instant) {
        let now = ContinuousClock.now
        add(phase, now - mark)
        mark = now
    }

    /// Adds `duration` to `phase`.
    mutating func add(_ phase: Phase, _ duration: Duration) {
        seconds[Self.index(of: phase)] += duration
    }

    /// Counts a poll that returned nothing.
    mutating func countEmptyPoll() { emptyPolls += 1 }

    /// The total of `phase` so far.
    func total(_ phase: Phase) -> Duration { seconds[Self.index(of: phase)] }

    /// The total of `phase` so far, in seconds.
    func totalSeconds(_ phase: Phase) -> Double {
        let (whole, attoseconds) = total(phase).components
        return Double(whole) + Double(attoseconds) * 1e-18
    }

    private static func index(of phase: Phase) -> Int {
        Phase.allCases.firstIndex(of: phase) ?? 0
    }
}
