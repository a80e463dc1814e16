import Synchronization

/// A value shared with escaping closures in tests (an `Atomic` or `Mutex` cannot be captured).
final class Locked<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { storage = Mutex(value) }

    var value: Value { storage.withLock { $0 } }

    func update(_ change: @Sendable (inout Value) -> Void) {
        storage.withLock { change(&$0) }
    }

    /// Changes the value and returns what `body` returns, atomically.
    func withLock<R: Sendable>(_ body: @Sendable (inout Value) -> R) -> R {
        storage.withLock { body(&$0) }
    }
}
