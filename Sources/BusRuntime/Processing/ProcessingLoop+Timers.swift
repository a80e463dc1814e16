import BusKafka
import BusSchema
import Foundation

extension ProcessingLoop {
    /// After an input: its time moves the partition's clock, and each key it changed gets the
    /// timer its new value asks for.
    func noteTime(_ inputTime: Instant, partition: Int32, changes: [String: F.State?]) {
        core.observed(inputTime: inputTime, partition: partition, now: .now)
        for (key, value) in changes {
            schedule(partition: partition, key: key, value: value)
        }
    }

    /// A restored partition's timers, read from its values.
    func restoreTimers(partition: Int32, store: StateStore<F.State>) {
        let timers = store.snapshot.compactMap { key, value in
            flow.wakeTime(key: key, value: value).map { (timer: FlowTimer(key: key, due: $0), byWallClock: flow.timerClock(key: key, value: value) == .wall) }
        }
        core.restoredTimers(partition: partition, timers)
    }

    /// Sets the timer `value` asks for (nil value: none), on the clock the flow says.
    func schedule(partition: Int32, key: String, value: F.State?) {
        guard let value else { return core.scheduled(partition: partition, key: key, due: nil) }
        core.scheduled(partition: partition, key: key, due: flow.wakeTime(key: key, value: value),
                       byWallClock: flow.timerClock(key: key, value: value) == .wall)
    }

    /// Runs the flow's `wake` for each due timer of `partition`, as `process` runs `handle`:
    /// changes applied in memory at once, outputs sent, changelog records after them, in the
    /// partition's order with its inputs.
    func fire(_ timers: [FlowTimer], partition: Int32) {
        guard let store = stores[partition] else { return }
        for timer in timers {
            var state = FlowState(store: store, clock: timer.due)
            let outputs: [FlowOutput]
            do {
                outputs = try flow.wake(timer, state: &state, tables: tables)
            } catch {
                perform([.report(.timerFailed(partition: partition, key: timer.key, reason: "the flow failed with \(type(of: error))"))])
                continue
            }
            metrics.timersFired.increment()
            countEvents(state.events)
            store.apply(state.changes)
            for (key, value) in state.changes { schedule(partition: partition, key: key, value: value) }
            // A flow that left its key as it was is asked again only for a later moment: the
            // same one would fire at once, for ever.
            if state.changes[timer.key] == nil, let value = store[timer.key], let due = flow.wakeTime(key: timer.key, value: value), due > timer.due {
                core.scheduled(partition: partition, key: timer.key, due: due, byWallClock: flow.timerClock(key: timer.key, value: value) == .wall)
            }
            let cause = timer.envelope(worker: flow.name)
            let records = outputs.enumerated().map { position, output in
                metrics.inputs.published(output)
                return codec.record(for: output, position: position, cause: cause, key: timer.key)
            }
            perform(core.admitWork(partition: partition, outputs: records, changes: state.changes.map { ($0.key, $0.value) }))
            if fatal != nil { return }
        }
    }
}
