import BusKafka
import BusSchema

/// Timers, partition clocks and the firings whose outputs are on their way.
struct TimerState: Sendable {
    /// A firing whose changelog records wait until its outputs are delivered.
    struct Firing: Sendable {
        var partition: Int32
        var outputsLeft: Int
        var changelog: [ProducerRecord]
    }

    var wheels: [Int32: TimerWheel] = [:]
    var clocks: [Int32: PartitionClock] = [:]
    var firings: [UInt64: Firing] = [:]
    var nextFiring: UInt64 = 0
}

/// Time in the core: input times and idle ticks move each partition's clock; timers the
/// clock reached are handed to the flow (`wake`); a firing's outputs go first, its state
/// changes (tombstones, mostly) after them, as an input's do, so a crash in between fires the
/// timer again after the restore rather than lose an output.
extension ProcessingCore {
    /// An input of partition `partition` carries the time `inputTime`.
    mutating func observed(inputTime: Instant, partition: Int32, now: ContinuousClock.Instant) {
        time.clocks[partition, default: PartitionClock()].observe(input: inputTime, at: now)
    }

    /// `key` of `partition` changed: its timer is now `due` (nil: none).
    mutating func scheduled(partition: Int32, key: String, due: Instant?) {
        time.wheels[partition, default: TimerWheel()].schedule(key, at: due)
    }

    /// A partition's state was restored: its timers, read from the restored values.
    mutating func restoredTimers(partition: Int32, _ timers: [FlowTimer]) {
        var wheel = TimerWheel()
        for timer in timers { wheel.schedule(timer.key, at: timer.due) }
        time.wheels[partition] = wheel
    }

    /// The timers due: for each partition with timers, its clock (idle ticks at `now`)
    /// against its wheel. A key that an input in flight changed waits for that input to be
    /// done, so its changelog records keep their order.
    mutating func dueTimers(now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = []
        let busyKeys = Dictionary(grouping: changesInFlight, by: { $0.key.partition.partition })
            .mapValues { Set($0.flatMap { $0.value.map(\.key) }) }
        for partition in time.wheels.keys.sorted() {
            guard let clock = time.clocks[partition, default: PartitionClock()]
                .tick(at: now, idleAfter: settings.options.idleTimerTick) else { continue }
            guard var wheel = time.wheels[partition], let next = wheel.next(), next <= clock else { continue }
            var due = wheel.takeDue(at: clock)
            let busy = busyKeys[partition] ?? []
            for timer in due where busy.contains(timer.key) { wheel.schedule(timer.key, at: timer.due) }
            due.removeAll { busy.contains($0.key) }
            time.wheels[partition] = wheel
            if !due.isEmpty { actions.append(.wake(partition: partition, timers: due)) }
        }
        return actions
    }

    /// What a firing of `partition` made: its outputs are sent, its changelog records follow
    /// once they are delivered (at once when there is none).
    mutating func woken(partition: Int32, outputs: [ProducerRecord], changelog: [ProducerRecord]) -> [Action] {
        guard !outputs.isEmpty else { return changelog.map { .produce($0, .control, attempt: 1) } }
        let id = time.nextFiring
        time.nextFiring += 1
        time.firings[id] = TimerState.Firing(partition: partition, outputsLeft: outputs.count, changelog: changelog)
        return outputs.map { .produce($0, .timer(firing: id), attempt: 1) }
    }

    /// One output of a firing is settled; after the last, its changelog records go.
    mutating func timerOutputSettled(_ id: UInt64) -> [Action] {
        guard var firing = time.firings[id] else { return [] }
        firing.outputsLeft -= 1
        guard firing.outputsLeft <= 0 else {
            time.firings[id] = firing
            return []
        }
        time.firings[id] = nil
        return firing.changelog.map { .produce($0, .control, attempt: 1) }
    }

    /// Partitions given up: their timers and clocks go with their state; a firing's outputs
    /// still on their way are forgotten (the next owner restores the timers and fires them).
    mutating func forgetTimers(of partitions: Set<Int32>) {
        for partition in partitions {
            time.wheels[partition] = nil
            time.clocks[partition] = nil
        }
        time.firings = time.firings.filter { !partitions.contains($0.value.partition) }
    }

    /// Timers held over every partition.
    var timerCount: Int { time.wheels.values.reduce(0) { $0 + $1.count } }
}
