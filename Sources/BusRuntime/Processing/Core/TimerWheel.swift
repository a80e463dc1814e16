import BusSchema

/// The timers of one state partition: at most one per key, earliest first.
///
/// A pure value. Keys are scheduled from their state values (`Flow.wakeTime`), so the wheel
/// holds nothing that is not in the state: after a restore it is rebuilt from the restored
/// values. A min-heap with lazy deletion: rescheduling a key leaves its old entry in the heap,
/// recognised as stale when it reaches the top, so every operation is O(log n).
public struct TimerWheel: Sendable, Equatable {
    private var dueByKey: [String: Instant] = [:]
    private var heap: [FlowTimer] = []

    /// An empty wheel.
    public init() {}

    /// How many keys hold a timer.
    public var count: Int { dueByKey.count }

    /// The moment of `key`'s timer.
    public func due(of key: String) -> Instant? { dueByKey[key] }

    /// The earliest moment of any timer.
    public mutating func next() -> Instant? {
        dropStale()
        return heap.first?.due
    }

    /// Sets `key`'s timer to `due`, or removes it when nil.
    public mutating func schedule(_ key: String, at due: Instant?) {
        guard dueByKey[key] != due else { return }
        dueByKey[key] = due
        if let due { push(FlowTimer(key: key, due: due)) }
        // A heap holding many stale entries is rebuilt, so memory follows the keys.
        if heap.count > 64, heap.count > 2 * dueByKey.count { rebuild() }
    }

    /// Takes out every timer due at `clock` (moment at or before it), earliest first, ties by key.
    /// A key whose timer is taken has none until it is scheduled again.
    public mutating func takeDue(at clock: Instant) -> [FlowTimer] {
        var due: [FlowTimer] = []
        while true {
            dropStale()
            guard let top = heap.first, top.due <= clock else { break }
            popTop()
            dueByKey[top.key] = nil
            due.append(top)
        }
        return due
    }

    // MARK: Heap

    private static func precedes(_ a: FlowTimer, _ b: FlowTimer) -> Bool {
        a.due != b.due ? a.due < b.due : a.key < b.key
    }

    /// Pops entries that no longer match their key's moment.
    private mutating func dropStale() {
        while let top = heap.first, dueByKey[top.key] != top.due { popTop() }
    }

    private mutating func rebuild() {
        heap = []
        for (key, due) in dueByKey.sorted(by: { $0.key < $1.key }) { push(FlowTimer(key: key, due: due)) }
    }

    private mutating func push(_ timer: FlowTimer) {
        heap.append(timer)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func popTop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < heap.count, Self.precedes(heap[left], heap[first]) { first = left }
            if right < heap.count, Self.precedes(heap[right], heap[first]) { first = right }
            guard first != parent else { return }
            heap.swapAt(parent, first)
            parent = first
        }
    }

    public static func == (lhs: TimerWheel, rhs: TimerWheel) -> Bool { lhs.dueByKey == rhs.dueByKey }
}
