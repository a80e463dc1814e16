import BusKafka
import Testing
@testable import BusRuntime
import BusTestKit

private let partition = TopicPartition(topic: "erp.customers", partition: 2)

struct OffsetTrackerPropertyTests {
    /// Random consumption with gaps, random completion order: the mark never passes an undone
    /// offset, is always the first undone one, only grows, and ends at last + 1.
    @Test("random completion orders", arguments: Array(UInt64(1)...25))
    func randomCompletionOrder(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var tracker = OffsetTracker()
        var undone: [Int64: OffsetTracker.Ticket] = [:]
        var next = Int64.random(in: 0...1_000, using: &rng)
        var last: Int64?
        var reports: [Int64] = []
        var toRegister = 400

        while toRegister > 0 || !undone.isEmpty {
            // Register more often than complete early on, so many offsets are in flight at once.
            if toRegister > 0, undone.isEmpty || Int.random(in: 0..<3, using: &rng) > 0 {
                guard case .tracked(let ticket) = tracker.register(next, in: partition) else {
                    Issue.record("seed \(seed): offset \(next) rejected")
                    return
                }
                undone[next] = ticket
                last = next
                next += Int64.random(in: 1...4, using: &rng)  // gaps of up to 3 missing offsets
                toRegister -= 1
            } else {
                guard let offset = undone.keys.randomElement(using: &rng),
                      let ticket = undone.removeValue(forKey: offset)
                else { continue }
                switch tracker.markDone(ticket) {
                case .advanced(let stored): reports.append(stored)
                case .noAdvance: break
                case .ignored(let why): Issue.record("seed \(seed): \(offset) ignored: \(why)")
                }
            }
            guard let mark = tracker.lowWaterMark(of: partition), let last else { continue }
            #expect(undone.keys.allSatisfy { $0 >= mark }, "seed \(seed): mark \(mark) passed an undone offset")
            #expect(mark == (undone.keys.min() ?? last + 1), "seed \(seed)")
            #expect(tracker.inFlightCount(of: partition) == undone.count)
        }
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0 < $1 }, "seed \(seed): reports went back")
        #expect(reports.last == last.map { $0 + 1 }, "seed \(seed)")
        #expect(tracker.totalInFlight == 0)
    }

    /// Against a model: random registrations, completions, seeks back (retries), revokes with
    /// reassignment at the stored offset, and late completions of discarded work.
    @Test("random operations against a model", arguments: Array(UInt64(100)...119))
    func modelBased(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var tracker = OffsetTracker()
        var model = Model(position: Int64.random(in: 0...50, using: &rng))
        _ = tracker.seek(partition, to: model.position)

        for step in 0..<2_000 {
            let roll = Int.random(in: 0..<100, using: &rng)
            if roll < 45 {
                let offset = model.position + Int64.random(in: 0...2, using: &rng)
                guard case .tracked(let ticket) = tracker.register(offset, in: partition) else {
                    Issue.record("seed \(seed) step \(step): \(offset) rejected")
                    return
                }
                model.live[offset] = ticket
                model.position = offset + 1
            } else if roll < 85, let offset = model.live.keys.randomElement(using: &rng),
                      let ticket = model.live.removeValue(forKey: offset) {
                let mark = model.mark
                let expected: OffsetTracker.Completion
                if mark > model.reported {
                    model.reported = mark
                    expected = .advanced(storeOffset: mark)
                } else {
                    expected = .noAdvance
                }
                #expect(tracker.markDone(ticket) == expected, "seed \(seed) step \(step)")
            } else if roll < 92, let stale = model.stale.randomElement(using: &rng) {
                #expect(tracker.markDone(stale) == .ignored(.notInFlight), "seed \(seed) step \(step)")
            } else if roll < 98 {
                // A retry seeks back to some in-flight offset (or to the position when idle).
                let target = model.live.keys.randomElement(using: &rng) ?? model.position
                let discarded = model.live.filter { $0.key >= target }
                model.stale += discarded.values
                model.live = model.live.filter { $0.key < target }
                model.position = target
                #expect(tracker.seek(partition, to: target) == .repositioned(discardedInFlight: discarded.count),
                        "seed \(seed) step \(step)")
            } else {
                // Revoke, then get the partition back at the offset that was stored.
                #expect(tracker.revoke(partition) == .init(lowWaterMark: model.mark, abandonedInFlight: model.live.count))
                model.stale += model.live.values
                model.live = [:]
                model.position = model.reported
                _ = tracker.seek(partition, to: model.reported)
            }
            #expect(tracker.lowWaterMark(of: partition) == model.mark, "seed \(seed) step \(step)")
            #expect(tracker.inFlightCount(of: partition) == model.live.count, "seed \(seed) step \(step)")
        }
    }

    private struct Model {
        var live: [Int64: OffsetTracker.Ticket] = [:]
        var stale: [OffsetTracker.Ticket] = []
        var position: Int64
        var reported: Int64

        init(position: Int64) {
            self.position = position
            reported = position
        }

        var mark: Int64 { live.keys.min() ?? position }
    }
}
