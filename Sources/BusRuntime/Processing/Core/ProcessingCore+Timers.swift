import Foundation
import BusKafka
import BusSchema

/// Timers and partition clocks.
struct TimerState: Sendable {
    var wheels: [Int32: TimerWheel] = [:]
    /// Timers due by the wall clock (`TimerClock.wall`): a request's deadline.
    var wallWheels: [Int32: TimerWheel] = [:]
    var clocks: [Int32: PartitionClock] = [:]
}

/// Time in the core: input times and idle ticks move each partition's clock; timers the
/// clock reached are handed to the flow (`wake`); a firing is work tied to no input
/// (`admitWork`): its outputs go first, its state changes (tombstones, mostly) after them, as
/// an input's do, so a crash in between fires the timer again after the restore rather than
/// lose an output.
extension ProcessingCore {
    /// An input of partition `partition` carries the time `inputTime`.
    mutating func observed(inputTime: Instant, partition: Int32, now: ContinuousClock.Instant) {
        time.clocks[partition, default: PartitionClock()].observe(input: inputTime, at: now)
    }

    /// `key` of `partition` changed: its timer is now `due` (nil: none), on the partition's
    /// clock or, `byWallClock`, on the wall clock.
    mutating func scheduled(partition: Int32, key: String, due: Instant?, byWallClock: Bool = false) {
        if byWallClock {
            time.wheels[partition]?.schedule(key, at: nil)
            time.wallWheels[partition, default: TimerWheel()].schedule(key, at: due)
        } else {
            time.wallWheels[partition]?.schedule(key, at: nil)
            time.wheels[partition, default: TimerWheel()].schedule(key, at: due)
        }
    }

    /// A partition's state was restored: its timers, read from the restored values.
    mutating func restoredTimers(partition: Int32, _ timers: [(timer: FlowTimer, byWallClock: Bool)]) {
        var wheel = TimerWheel()
        var wallWheel = TimerWheel()
        for (timer, byWallClock) in timers {
            if byWallClock { wallWheel.schedule(timer.key, at: timer.due) } else { wheel.schedule(timer.key, at: timer.due) }
        }
        time.wheels[partition] = wheel
        time.wallWheels[partition] = wallWheel
    }

    /// The timers due: for each partition with timers, its clock (idle ticks at `now`)
    /// against its wheel. A key that an input in flight changed waits for that input to be
    /// done, so its changelog records keep their order.
    /// Wall-clock timers (`wallNow`) are due whatever the partition's clock says.
    mutating func dueTimers(now: ContinuousClock.Instant, wallNow: Instant = Instant(Date())) -> [Action] {
        // Called before every record: the common case, nothing due, must cost a glance at
        // each wheel's top, not a pass over the inputs in flight.
        var actions: [Action] = []
        var busyKeys: [Int32: Set<String>]?
        for partition in Set(time.wheels.keys).union(time.wallWheels.keys).sorted() {
            var byInputTime: [FlowTimer] = []
            if let clock = time.clocks[partition, default: PartitionClock()].tick(at: now, idleAfter: settings.options.idleTimerTick) {
                byInputTime = Self.takeDue(from: &time.wheels[partition], at: clock)
            }
            var byWallClock = Self.takeDue(from: &time.wallWheels[partition], at: wallNow)
            guard !byInputTime.isEmpty || !byWallClock.isEmpty else { continue }
            if busyKeys == nil { busyKeys = keysInFlight() }
            if let busy = busyKeys?[partition], !busy.isEmpty {
                Self.holdBack(&byInputTime, busy: busy, in: &time.wheels[partition])
                Self.holdBack(&byWallClock, busy: busy, in: &time.wallWheels[partition])
            }
            let due = byInputTime + byWallClock
            if !due.isEmpty { actions.append(.wake(partition: partition, timers: due)) }
        }
        return actions
    }

    /// Per state partition, the keys that inputs in flight changed.
    private func keysInFlight() -> [Int32: Set<String>] {
        Dictionary(grouping: changesInFlight, by: { $0.key.partition.partition }).mapValues { Set($0.flatMap { $0.value.map(\.key) }) }
    }

    /// The timers of `wheel` due at `clock`, taken out (none when nothing is due).
    ///
    /// The wheel is changed in place (optional chaining on the `inout`): a copy would share
    /// the heap's storage, so dropping its stale top entries would copy the whole heap, and
    /// when nothing was due the copy, stale entries dropped, was thrown away, to be made
    /// again before the next record: that capped a worker holding timers at about 1,000
    /// inputs/s (README "Benchmarks", live queries).
    private static func takeDue(from wheel: inout TimerWheel?, at clock: Instant) -> [FlowTimer] {
        guard let next = wheel?.next(), next <= clock else { return [] }
        return wheel?.takeDue(at: clock) ?? []
    }

    /// Puts the timers of `busy` keys back on `wheel`: they fire once their input is done.
    private static func holdBack(_ due: inout [FlowTimer], busy: Set<String>, in wheel: inout TimerWheel?) {
        for timer in due where busy.contains(timer.key) { wheel?.schedule(timer.key, at: timer.due) }
        due.removeAll { busy.contains($0.key) }
    }

    /// Partitions given up: their timers and clocks go with their state (the next owner
    /// restores the timers and fires them).
    mutating func forgetTimers(of partitions: Set<Int32>) {
        for partition in partitions {
            time.wheels[partition] = nil
            time.wallWheels[partition] = nil
            time.clocks[partition] = nil
        }
    }

    /// Timers held over every partition.
    var timerCount: Int { time.wheels.values.reduce(0) { $0 + $1.count } + time.wallWheels.values.reduce(0) { $0 + $1.count } }
}
