import BusSchema
import Foundation

/// One state partition of a flow run in process, with its timers, on input time only: what
/// the worker does for that partition, without Kafka. For replay tests (run the same inputs
/// twice, or crash half-way and restore from the changelog written so far, and compare) and
/// for simulations (`bus-bench soak`), where days pass in seconds.
///
/// After each input, as in the worker: the partition's clock moves to the input's time, each
/// changed key gets the timer its value asks for, and every timer the clock reached fires.
/// Outputs get the ids the worker would give them (from the input's or the timer's envelope
/// and the output's position, or from the effect they name).
public struct FlowTimeline<F: Flow> {
    /// A record the partition wrote, as a reader would see it.
    public struct Written: Sendable, Equatable {
        /// Its topic.
        public var topic: String
        /// Its key.
        public var key: String?
        /// Its CloudEvents id (nil for a changelog record).
        public var id: String?
        /// Its value; nil for a tombstone.
        public var value: Data?
    }

    /// The flow.
    public let flow: F
    /// The partition's state.
    public let store: StateStore<F.State>
    /// Its timers.
    public private(set) var wheel = TimerWheel()
    /// Its clock.
    public private(set) var clock = PartitionClock()
    /// Whether written records are kept in `outputs` and `changelog` (a long simulation keeps none).
    public let recording: Bool
    /// The outputs written so far, in order.
    public private(set) var outputs: [Written] = []
    /// The changelog records written so far, in order.
    public private(set) var changelog: [Written] = []
    /// Timers fired so far.
    public private(set) var timersFired = 0
    private let codec = MessageCodec()

    /// A partition with no state yet.
    public init(flow: F, recording: Bool = true) {
        self.flow = flow
        self.recording = recording
        store = StateStore()
    }

    /// A partition restored from `changelog` (later records win, a tombstone deletes), as a
    /// worker restores one after a crash: its timers are read from the restored values; its
    /// clock starts unknown.
    public init(flow: F, restoring changelog: [Written], recording: Bool = true) throws {
        self.init(flow: flow, recording: recording)
        var values: [String: F.State?] = [:]
        for record in changelog {
            guard let key = record.key else { continue }
            values[key] = try record.value.map { try JSONDecoder().decode(F.State.self, from: $0) }
        }
        store.apply(values)
        for (key, value) in store.snapshot { wheel.schedule(key, at: flow.wakeTime(key: key, value: value)) }
    }

    /// Handles `input` (a rejection is thrown, and changes nothing), then fires the timers
    /// its time reached. Returns the input's outputs (not the timers').
    @discardableResult
    public mutating func feed(_ input: FlowInput, tables: any TableLookup) throws -> [FlowOutput] {
        var state = FlowState(store: store, clock: clock.now)
        let produced = try flow.handle(input, state: &state, tables: tables)
        commit(state.changes, outputs: produced, cause: input.envelope, key: input.key)
        clock.observe(input: input.envelope.time, at: .now)
        try fireDue(tables: tables)
        return produced
    }

    /// Moves the clock to `moment` as an idle tick would, and fires what is due.
    public mutating func advance(to moment: Instant, tables: any TableLookup) throws {
        clock.jump(to: moment)
        try fireDue(tables: tables)
    }

    private mutating func fireDue(tables: any TableLookup) throws {
        guard let now = clock.now else { return }
        for timer in wheel.takeDue(at: now) {
            var state = FlowState(store: store, clock: timer.due)
            let produced = try flow.wake(timer, state: &state, tables: tables)
            timersFired += 1
            commit(state.changes, outputs: produced, cause: timer.envelope(worker: flow.name), key: timer.key)
            if state.changes[timer.key] == nil, let value = store[timer.key], let due = flow.wakeTime(key: timer.key, value: value), due > timer.due {
                wheel.schedule(timer.key, at: due)
            }
        }
    }

    private mutating func commit(_ changes: [String: F.State?], outputs produced: [FlowOutput], cause: Envelope, key: String?) {
        store.apply(changes)
        for (changed, value) in changes { wheel.schedule(changed, at: value.flatMap { flow.wakeTime(key: changed, value: $0) }) }
        guard recording else { return }
        for (position, output) in produced.enumerated() {
            let value: Data?
            let type: String
            switch output.payload {
            case .message(let message):
                value = codec.encode(anyMessage: message)
                type = Swift.type(of: message).messageType
            case .tombstone(let messageType):
                value = nil
                type = messageType
            }
            let written = output.key ?? key
            let id = cause.derived(worker: flow.name, position: position, type: type, dataSchema: nil, topic: output.topic, key: written, value: value, effect: output.effectID).id
            outputs.append(Written(topic: output.topic, key: written, id: id, value: value))
        }
        // The same bytes as the worker's changelog (`RecordCodec.encodeState`).
        for (changed, value) in changes.sorted(by: { $0.key < $1.key }) {
            changelog.append(Written(topic: flow.changelogTopic, key: changed, id: nil, value: value.flatMap { codec.encodeValue($0) }))
        }
    }
}
