/// When the day's loop ends, once every scripted event is played: settled, when the ERP and
/// the site have nothing left to do and nothing moved for a moment; stuck, when nothing moved
/// for 10 s and no worker has inputs waiting (or for 60 s whatever waits).
///
/// Both sides moving counts: a record read back from the cluster, and a record the simulators
/// handed to their producer. Reads alone are not enough: in a long day (`bus chaos`, 3 min)
/// the last scripted event, a bank transfer arriving at 20:21, comes over 20 s after the bus
/// went quiet, and in the turn that plays it none of its records can have been read back yet;
/// measured by reads alone the day was then "stuck" at once, the workers were stopped 30 ms
/// after the capture was published, and its order (WEB-100190 with the default seed) was
/// reported lost: in the ERP, the site last told `awaiting_payment`.
/// A value: the loop feeds it and asks; tested alone (`DayEndTests`).
struct DayEnd {
    /// What the loop does next.
    enum Verdict: Equatable {
        case goOn
        /// Everything the day set off has settled.
        case settled
        /// Nothing moved for `stallAfter` with the day unfinished.
        case stalled
    }

    /// Quiet that ends a settled day (a gated request waits a second at most).
    static let settleAfter: Duration = .milliseconds(1500)
    /// Quiet that ends a day that does not settle, once no input waits for a worker.
    static let stallAfter: Duration = .seconds(10)
    /// Quiet that ends a day that does not settle though inputs wait: a worker process
    /// rejoining its group on a loaded machine (6 s sessions, a rebalance of several seconds
    /// on the embedded cluster) read nothing for over 10 s with 31 inputs waiting, and the day
    /// was ended under it (`DemoOnClusterTests`, second run, in the full suite).
    static let waitingStallAfter: Duration = .seconds(60)
    /// Quiet that ends an opening that does not finish, once no input waits for a worker.
    /// Longer than the day's: a loaded machine has taken 80 s for an opening, though never
    /// with its inputs all read and nothing moving for this long. Without it, an opening
    /// whose outputs are lost (`BUS_FAULT_INJECTION=store-offsets-before-ack`, a rebalance
    /// at opening) waited out the whole run's timeout, 300 s of the short chaos profile.
    static let openingStallAfter: Duration = .seconds(30)

    /// The last moment a record was read or published.
    private(set) var lastMovement: ContinuousClock.Instant
    private var published = 0

    /// A day in which nothing has moved since `start`.
    init(start: ContinuousClock.Instant) {
        lastMovement = start
    }

    /// The journal read its last record at `at`.
    mutating func read(at: ContinuousClock.Instant) {
        lastMovement = max(lastMovement, at)
    }

    /// The simulators have handed `total` records to their producer so far, as seen at `now`.
    mutating func published(_ total: Int, at now: ContinuousClock.Instant) {
        guard total > published else { return }
        published = total
        lastMovement = max(lastMovement, now)
    }

    /// How long nothing has moved, at `now`.
    func quiet(at now: ContinuousClock.Instant) -> Duration { now - lastMovement }

    /// Whether the opening is stuck at `now`: nothing read or published for
    /// `openingStallAfter`, and `inputsWaiting` false (every worker has read all its inputs;
    /// asked only after the quiet, as counting the lag reads every group's commits).
    func openingStalled(at now: ContinuousClock.Instant, inputsWaiting: @autoclosure () -> Bool) -> Bool {
        quiet(at: now) >= Self.openingStallAfter && !inputsWaiting()
    }

    /// The verdict at `now`: `allPlayed` when every scripted event has been played,
    /// `sidesSettled` when the ERP and the site have every order at its end, `inputsWaiting`
    /// when a worker has inputs not yet taken in (asked only after `stallAfter` of quiet).
    func verdict(at now: ContinuousClock.Instant, allPlayed: Bool, sidesSettled: Bool, inputsWaiting: @autoclosure () -> Bool = false) -> Verdict {
        guard allPlayed else { return .goOn }
        let quiet = quiet(at: now)
        if sidesSettled, quiet >= Self.settleAfter { return .settled }
        guard quiet >= Self.stallAfter else { return .goOn }
        return quiet >= Self.waitingStallAfter || !inputsWaiting() ? .stalled : .goOn
    }
}
