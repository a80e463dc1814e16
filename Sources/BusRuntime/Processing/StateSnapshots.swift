import BusSchema
import Synchronization

/// Copies of a worker's state at two moments operators and tests care about: right after
/// partitions were restored from the changelog, and after a clean stop. Taken on the loop's
/// thread, read from any thread.
final class StateSnapshots<Value: Codable & Sendable & Equatable>: Sendable {
    private let restoredValues = Mutex<[Int32: [String: Value]]>([:])
    private let finalValues = Mutex<[Int32: [String: Value]]>([:])

    var restored: [Int32: [String: Value]] { restoredValues.withLock { $0 } }
    var final: [Int32: [String: Value]] { finalValues.withLock { $0 } }

    /// A new assignment: what was restored before and is still held.
    func resetRestored(to stores: [Int32: StateStore<Value>]) {
        let copy = stores.mapValues(\.snapshot)
        restoredValues.withLock { $0 = copy }
    }

    /// One partition's state, just restored.
    func recordRestored(_ partition: Int32, _ store: StateStore<Value>) {
        let copy = store.snapshot
        restoredValues.withLock { $0[partition] = copy }
    }

    func recordFinal(_ stores: [Int32: StateStore<Value>]) {
        let copy = stores.mapValues(\.snapshot)
        finalValues.withLock { $0 = copy }
    }
}
