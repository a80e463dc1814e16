import BusKafka
import Testing
@testable import BusRuntime

private let orders = TopicPartition(topic: "shop.orders", partition: 0)
private let ordersP1 = TopicPartition(topic: "shop.orders", partition: 1)
private let stock = TopicPartition(topic: "erp.stock", partition: 3)

/// Registers offsets and returns their tickets; fails the test if one is rejected.
private func register(
    _ offsets: [Int64], in partition: TopicPartition, on tracker: inout OffsetTracker,
    sourceLocation: SourceLocation = #_sourceLocation
) -> [Int64: OffsetTracker.Ticket] {
    var tickets: [Int64: OffsetTracker.Ticket] = [:]
    for offset in offsets {
        guard case .tracked(let ticket) = tracker.register(offset, in: partition) else {
            Issue.record("offset \(offset) rejected", sourceLocation: sourceLocation)
            continue
        }
        tickets[offset] = ticket
    }
    return tickets
}

private func done(_ ticket: OffsetTracker.Ticket?, on tracker: inout OffsetTracker) -> OffsetTracker.Completion {
    guard let ticket else { return .ignored(.notInFlight) }
    return tracker.markDone(ticket)
}

struct OffsetTrackerTests {
    struct Interleaving: Sendable, CustomTestStringConvertible {
        let name: String
        let registered: [Int64]
        let completionOrder: [Int64]
        let expected: [OffsetTracker.Completion]
        var testDescription: String { name }
    }

    static let interleavings: [Interleaving] = [
        .init(name: "in order", registered: [0, 1, 2], completionOrder: [0, 1, 2],
              expected: [.advanced(storeOffset: 1), .advanced(storeOffset: 2), .advanced(storeOffset: 3)]),
        .init(name: "reverse order", registered: [3, 4, 5, 6], completionOrder: [6, 5, 4, 3],
              expected: [.noAdvance, .noAdvance, .noAdvance, .advanced(storeOffset: 7)]),
        .init(name: "middle first", registered: [0, 1, 2], completionOrder: [1, 0, 2],
              expected: [.noAdvance, .advanced(storeOffset: 2), .advanced(storeOffset: 3)]),
        .init(name: "odd then even", registered: [0, 1, 2, 3], completionOrder: [1, 3, 0, 2],
              expected: [.noAdvance, .noAdvance, .advanced(storeOffset: 2), .advanced(storeOffset: 4)]),
        .init(name: "single record", registered: [100], completionOrder: [100],
              expected: [.advanced(storeOffset: 101)]),
        // Gaps: the mark jumps to the next registered offset, never to a missing one.
        .init(name: "gaps, later first", registered: [5, 7, 10], completionOrder: [7, 5, 10],
              expected: [.noAdvance, .advanced(storeOffset: 10), .advanced(storeOffset: 11)]),
        .init(name: "gaps, in order", registered: [0, 2, 4, 6], completionOrder: [0, 4, 2, 6],
              expected: [.advanced(storeOffset: 2), .noAdvance, .advanced(storeOffset: 6), .advanced(storeOffset: 7)]),
        .init(name: "huge gap", registered: [1, 1_000_000], completionOrder: [1_000_000, 1],
              expected: [.noAdvance, .advanced(storeOffset: 1_000_001)]),
        .init(name: "first done, rest slow", registered: [8, 9, 10], completionOrder: [8, 10, 9],
              expected: [.advanced(storeOffset: 9), .noAdvance, .advanced(storeOffset: 11)]),
    ]

    @Test("completions in any order give the contiguous low-water mark", arguments: interleavings)
    func interleaving(_ case_: Interleaving) {
        var tracker = OffsetTracker()
        let tickets = register(case_.registered, in: orders, on: &tracker)
        let results = case_.completionOrder.map { done(tickets[$0], on: &tracker) }
        #expect(results == case_.expected)
        #expect(tracker.lowWaterMark(of: orders) == (case_.registered.last ?? 0) + 1)
        #expect(tracker.inFlightCount(of: orders) == 0)
    }

    @Test("the mark waits on the earliest in-flight offset")
    func markWaits() {
        var tracker = OffsetTracker()
        let tickets = register([10, 11, 12], in: orders, on: &tracker)
        #expect(tracker.lowWaterMark(of: orders) == 10)
        #expect(done(tickets[12], on: &tracker) == .noAdvance)
        #expect(tracker.lowWaterMark(of: orders) == 10)
        #expect(tracker.inFlightCount(of: orders) == 2)
    }

    @Test("offsets must be registered in ascending order", arguments: [Int64(5), 4, 0])
    func registrationBehindPosition(offset: Int64) {
        var tracker = OffsetTracker()
        _ = register([5], in: orders, on: &tracker)
        #expect(tracker.register(offset, in: orders) == .rejected(.behindPosition(expectedAtLeast: 6)))
        #expect(tracker.inFlightCount(of: orders) == 1)
        if case .tracked = tracker.register(7, in: orders) {} else { Issue.record("a gap must be accepted") }
    }

    @Test("offsets that are not record offsets are rejected", arguments: [Int64(-1), -2, -1001, .min, .max])
    func invalidOffsets(offset: Int64) {
        var tracker = OffsetTracker()
        #expect(tracker.register(offset, in: orders) == .rejected(.invalidOffset))
        #expect(tracker.seek(orders, to: offset) == .rejected(.invalidOffset))
        #expect(tracker.trackedPartitions.isEmpty)
    }

    @Test("marking an offset twice is ignored, before and after the mark passes it")
    func doubleCompletion() {
        var tracker = OffsetTracker()
        let tickets = register([0, 1], in: orders, on: &tracker)
        #expect(done(tickets[1], on: &tracker) == .noAdvance)
        #expect(done(tickets[1], on: &tracker) == .ignored(.notInFlight))
        #expect(done(tickets[0], on: &tracker) == .advanced(storeOffset: 2))
        #expect(done(tickets[0], on: &tracker) == .ignored(.notInFlight))
        #expect(tracker.lowWaterMark(of: orders) == 2)
    }

    @Test("a ticket of a revoked partition is ignored")
    func unknownPartition() {
        var tracker = OffsetTracker()
        let tickets = register([3], in: orders, on: &tracker)
        #expect(tracker.revoke(orders) == .init(lowWaterMark: 3, abandonedInFlight: 1))
        #expect(done(tickets[3], on: &tracker) == .ignored(.unknownPartition))
        #expect(tracker.revoke(orders) == nil)
        #expect(tracker.lowWaterMark(of: orders) == nil)
    }

    @Test("after revoke and reassignment, old tickets never mark the re-consumed input done")
    func staleTicketAfterReassignment() {
        var tracker = OffsetTracker()
        let old = register([3, 4], in: orders, on: &tracker)
        #expect(done(old[3], on: &tracker) == .advanced(storeOffset: 4))
        #expect(tracker.revoke(orders) == .init(lowWaterMark: 4, abandonedInFlight: 1))
        #expect(tracker.seek(orders, to: 4) == .repositioned(discardedInFlight: 0))
        let new = register([4], in: orders, on: &tracker)
        #expect(done(old[4], on: &tracker) == .ignored(.notInFlight))
        #expect(tracker.inFlightCount(of: orders) == 1)
        #expect(done(new[4], on: &tracker) == .advanced(storeOffset: 5))
    }

    @Test("a seek back to a failed offset keeps earlier in-flight offsets and discards later ones")
    func seekBackForRetry() {
        var tracker = OffsetTracker()
        let first = register([10, 11, 12], in: orders, on: &tracker)
        #expect(done(first[12], on: &tracker) == .noAdvance)
        // 11 failed transiently: the loop seeks back to it; 10 is still waiting on a slow output.
        #expect(tracker.seek(orders, to: 11) == .repositioned(discardedInFlight: 1))
        #expect(done(first[11], on: &tracker) == .ignored(.notInFlight))
        #expect(tracker.register(10, in: orders) == .rejected(.behindPosition(expectedAtLeast: 11)))
        let second = register([11, 12], in: orders, on: &tracker)
        #expect(done(first[12], on: &tracker) == .ignored(.notInFlight))
        #expect(done(second[11], on: &tracker) == .noAdvance)
        #expect(done(first[10], on: &tracker) == .advanced(storeOffset: 12))
        #expect(done(second[12], on: &tracker) == .advanced(storeOffset: 13))
    }

    @Test("a seek forward skips ahead but still waits on earlier in-flight offsets")
    func seekForward() {
        var tracker = OffsetTracker()
        let first = register([0], in: orders, on: &tracker)
        #expect(tracker.seek(orders, to: 10) == .repositioned(discardedInFlight: 0))
        #expect(tracker.register(5, in: orders) == .rejected(.behindPosition(expectedAtLeast: 10)))
        let second = register([10], in: orders, on: &tracker)
        #expect(done(second[10], on: &tracker) == .noAdvance)
        #expect(done(first[0], on: &tracker) == .advanced(storeOffset: 11))
    }

    @Test("after a seek backwards past reported offsets, reports resume only beyond them")
    func seekBelowReported() {
        var tracker = OffsetTracker()
        let first = register([0, 1, 2, 3, 4], in: orders, on: &tracker)
        for offset in Int64(0)...4 { _ = done(first[offset], on: &tracker) }
        #expect(tracker.lowWaterMark(of: orders) == 5)
        #expect(tracker.seek(orders, to: 2) == .repositioned(discardedInFlight: 0))
        #expect(tracker.lowWaterMark(of: orders) == 2)
        let again = register([2, 3, 4, 5], in: orders, on: &tracker)
        #expect(done(again[2], on: &tracker) == .noAdvance)
        #expect(done(again[3], on: &tracker) == .noAdvance)
        #expect(done(again[4], on: &tracker) == .noAdvance)
        #expect(done(again[5], on: &tracker) == .advanced(storeOffset: 6))
    }

    @Test("a seek on an untracked partition starts tracking it at that offset")
    func seekStartsTracking() {
        var tracker = OffsetTracker()
        #expect(tracker.seek(stock, to: 42) == .repositioned(discardedInFlight: 0))
        #expect(tracker.lowWaterMark(of: stock) == 42)
        #expect(tracker.register(41, in: stock) == .rejected(.behindPosition(expectedAtLeast: 42)))
        let tickets = register([45], in: stock, on: &tracker)
        #expect(done(tickets[45], on: &tracker) == .advanced(storeOffset: 46))
    }

    @Test("partitions are independent")
    func independentPartitions() {
        var tracker = OffsetTracker()
        let a = register([0, 1], in: orders, on: &tracker)
        let b = register([0, 1], in: ordersP1, on: &tracker)
        let c = register([7], in: stock, on: &tracker)
        #expect(tracker.trackedPartitions == [stock, orders, ordersP1])
        #expect(tracker.totalInFlight == 5)
        #expect(done(b[0], on: &tracker) == .advanced(storeOffset: 1))
        #expect(tracker.lowWaterMark(of: orders) == 0)
        #expect(done(a[1], on: &tracker) == .noAdvance)
        #expect(tracker.revoke(ordersP1) == .init(lowWaterMark: 1, abandonedInFlight: 1))
        #expect(done(c[7], on: &tracker) == .advanced(storeOffset: 8))
        #expect(done(a[0], on: &tracker) == .advanced(storeOffset: 2))
        #expect(tracker.totalInFlight == 0)
    }

    @Test("a long in-order run keeps working across storage reclamation")
    func longRun() {
        var tracker = OffsetTracker()
        var window: [OffsetTracker.Ticket] = []
        for offset in Int64(0)..<10_000 {
            guard case .tracked(let ticket) = tracker.register(offset * 2, in: orders) else {
                Issue.record("rejected \(offset)")
                return
            }
            window.append(ticket)
            // Keep three in flight and finish the oldest: the mark trails by a fixed window.
            if window.count > 3 {
                let oldest = window.removeFirst()
                #expect(tracker.markDone(oldest) == .advanced(storeOffset: window[0].offset))
            }
        }
        #expect(tracker.inFlightCount(of: orders) == 3)
    }
}
