import BusSchema
import Foundation
import Synchronization

/// The restore of some state partitions from the changelog, on a thread of its own.
///
/// Why not in the rebalance callback: a restore of a full changelog partition takes seconds
/// to minutes, and while the callback runs the loop does not poll. The group then sees a
/// member that stopped polling (`max.poll.interval.ms`) and throws it out, the liveness probe
/// sees a loop that stopped turning, and the partitions already restored wait too. Here the
/// loop keeps polling while the partitions being restored stay paused; it installs each
/// partition's state as it arrives (`takeResults`) and resumes that partition only then.
/// A revoke or a stop cancels the job (`cancel`), which ends within one read of the changelog.
final class RestoreJob<Value: Codable & Sendable & Equatable>: @unchecked Sendable {
    /// What came of one partition.
    enum Result {
        /// The partition's state, read to the changelog's end, in `took`.
        case restored(partition: Int32, store: StateStore<Value>, took: Duration)
        /// The changelog could not be read or decoded: the worker must stop.
        case failed(partition: Int32, RuntimeError)
    }

    /// The partitions this job restores, in order.
    let partitions: [Int32]
    private let cancelled = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    // Written by the job's thread, taken by the loop's: a lock, not the loop's thread alone.
    private let lock = NSLock()
    private var results: [Result] = []
    private var ended = false

    /// Starts restoring `partitions` one after the other. `progress` is told, from the job's
    /// thread, how many more records of a partition were read and how many remain.
    init(restorer: StateRestorer<Value>, partitions: [Int32],
         progress: @escaping @Sendable (_ partition: Int32, _ newlyRead: Int64, _ remaining: Int64) -> Void) {
        self.partitions = partitions
        let thread = Thread { [self] in
            for number in partitions where !cancelled.load(ordering: .acquiring) {
                let started = ContinuousClock.now
                var counted: Int64 = 0
                do throws(RuntimeError) {
                    let store = try restorer.restore(partition: number, stopRequested: { self.cancelled.load(ordering: .acquiring) }) { read, remaining in
                        progress(number, read - counted, remaining)
                        counted = read
                    }
                    append(.restored(partition: number, store: store, took: .now - started))
                } catch {
                    // A cancelled restore throws too: that is no failure, its partitions are gone.
                    if !cancelled.load(ordering: .acquiring) { append(.failed(partition: number, error)) }
                    break
                }
            }
            lock.withLock { ended = true }
            finished.signal()
        }
        thread.name = "state-restore"
        thread.start()
    }

    /// The partitions restored (or failed) since the last call, and whether the job is over.
    func takeResults() -> (results: [Result], ended: Bool) {
        lock.withLock {
            defer { results = [] }
            return (results, ended)
        }
    }

    /// Stops the job and waits for its thread (at most one changelog read); returns what it
    /// finished before.
    func cancel() -> [Result] {
        cancelled.store(true, ordering: .releasing)
        finished.wait()
        // The job has ended: signal again so a later `cancel` does not wait for ever.
        finished.signal()
        return takeResults().results
    }

    private func append(_ result: Result) {
        lock.withLock { results.append(result) }
    }
}
