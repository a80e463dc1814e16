import Dispatch

/// Runs a pure function over a batch on up to `threads` threads, the caller's among them,
/// and returns the results in the batch's order.
///
/// Why not a task group: the processing loop is synchronous on its own thread (librdkafka
/// calls its rebalance handler inside `poll`), and a batch is a few hundred microseconds of
/// work; `concurrentPerform` shares it without hopping off the loop's thread or allocating
/// tasks. With one thread (or one element) it is a plain `map` on the caller's thread.
struct ParallelMap: Sendable {
    /// At most this many threads work on one batch; at least 1.
    let threads: Int

    init(threads: Int) {
        self.threads = max(1, threads)
    }

    func map<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ transform: @Sendable (Element) -> Result
    ) -> [Result] {
        let lanes = min(threads, elements.count)
        guard lanes > 1 else { return elements.map(transform) }
        let results = ResultSlots<Result>(count: elements.count)
        // Lane i takes elements i, i + lanes, …: neighbours (often one partition's records,
        // alike in size) are spread over the lanes. Each slot is written by one lane only.
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            var index = lane
            while index < elements.count {
                results.set(index, transform(elements[index]))
                index += lanes
            }
        }
        return results.take()
    }
}

/// One slot per element, each written once by one thread; read after every writer is done
/// (`concurrentPerform` returns only then). A buffer allocated once rather than an array
/// property: writing to an array held by a class from several threads is a simultaneous
/// access that Swift's exclusivity check stops, even for distinct elements.
private final class ResultSlots<Result>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: Result) {
        slots[index] = value
    }

    func take() -> [Result] {
        slots.map { slot in
            guard let slot else { preconditionFailure("every slot is written before take()") }
            return slot
        }
    }
}
