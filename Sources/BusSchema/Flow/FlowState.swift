/// The state of one input partition, as a flow sees it during one call.
///
/// Reads see the partition's store with this call's changes on top; writes are recorded as
/// changes. The runtime applies the changes to the store and the changelog only when the
/// call succeeds, so a rejected input leaves no trace, and copying this value never copies
/// the store.
public struct FlowState<Value: Codable & Sendable & Equatable>: Sendable {
    private let store: StateStore<Value>
    /// The changes of this call: a value, or nil for a deletion.
    public private(set) var changes: [String: Value?] = [:]
    /// What this call counted (`count(_:)`), in order: the runtime adds each to
    /// `bus_flow_events_total` once the call succeeds.
    public private(set) var events: [String] = []

    /// The partition's clock before this call (the latest input time seen, moved on by idle
    /// ticks), nil when unknown (nothing seen since the partition was assigned). A flow judges
    /// lateness by it: an input's own time may be as old as its sender says.
    public let clock: Instant?

    /// A view of `store` with no changes yet, at `clock`.
    public init(store: StateStore<Value>, clock: Instant? = nil) {
        self.store = store
        self.clock = clock
    }

    /// The value for `key`, with this call's changes applied. Setting nil deletes it.
    public subscript(key: String) -> Value? {
        get {
            if let change = changes[key] { return change }
            return store[key]
        }
        set { changes[key] = .some(newValue) }
    }

    /// Counts an event no output shows (a late answer dropped): `event` is a stable name
    /// for the metric's label, never data.
    public mutating func count(_ event: String) {
        events.append(event)
    }

    /// Every key with a value, with this call's changes applied, sorted.
    public var keys: [String] {
        var keys = Set(store.keys)
        for (key, change) in changes {
            if change == nil { keys.remove(key) } else { keys.insert(key) }
        }
        return keys.sorted()
    }
}

/// The values of one input partition's state, by key. Owned by the runtime, one per
/// assigned partition, used from the processing thread only.
public final class StateStore<Value: Codable & Sendable & Equatable>: @unchecked Sendable {
    private var values: [String: Value]

    /// A store holding `values`.
    public init(_ values: [String: Value] = [:]) {
        self.values = values
    }

    /// The value for `key`.
    public subscript(key: String) -> Value? { values[key] }

    /// Every key.
    public var keys: Dictionary<String, Value>.Keys { values.keys }

    /// How many keys hold a value.
    public var count: Int { values.count }

    /// Applies a call's changes.
    public func apply(_ changes: [String: Value?]) {
        for (key, change) in changes { values[key] = change }
    }

    /// A copy of every value, for tests and for comparing rebuilt state.
    public var snapshot: [String: Value] { values }
}
