import BusKafka
@testable import BusRuntime
import Testing

@Suite("Input ledger: outputs first, then state, in input order")
struct InputLedgerTests {
    static let partition = TopicPartition(topic: "in", partition: 0)

    /// Tickets for offsets 0..<count of one partition.
    static func tickets(_ count: Int) -> [OffsetTracker.Ticket] {
        var tracker = OffsetTracker()
        return (0..<count).compactMap {
            if case .tracked(let ticket) = tracker.register(Int64($0), in: partition) { return ticket }
            return nil
        }
    }

    @Test("an input without outputs is ready for its state write at once")
    func noOutputs() {
        var ledger = InputLedger<Int>()
        let t = Self.tickets(1)
        let batches = ledger.admit(t[0], outputs: 0, changes: [("k", 1)])
        #expect(batches.count == 1)
        #expect(batches.first?.changes == ["k": 1])
        #expect(batches.first?.tickets == [t[0]])
    }

    @Test("state is written only after every output of the input is delivered")
    func waitsForOutputs() {
        var ledger = InputLedger<Int>()
        let t = Self.tickets(1)
        #expect(ledger.admit(t[0], outputs: 2, changes: [("k", 1)]).isEmpty)
        #expect(ledger.outputDelivered(t[0]).isEmpty)
        #expect(ledger.outputDelivered(t[0]).first?.tickets == [t[0]])
    }

    @Test("a later input whose outputs are delivered first waits for the earlier one, then both are written together, the later value winning")
    func inputOrderPerPartition() {
        var ledger = InputLedger<Int>()
        let t = Self.tickets(2)
        #expect(ledger.admit(t[0], outputs: 1, changes: [("k", 1)]).isEmpty)
        #expect(ledger.admit(t[1], outputs: 1, changes: [("k", 2), ("j", 5)]).isEmpty)
        #expect(ledger.outputDelivered(t[1]).isEmpty, "the earlier input still waits for its output")
        let batch = ledger.outputDelivered(t[0])
        #expect(batch.count == 1)
        #expect(batch.first?.tickets == [t[0], t[1]])
        #expect(batch.first?.changes == ["k": 2, "j": 5])
    }

    /// The chaos run's lost acceptances: an order's payment (one topic) sent it to the ERP and
    /// waited for its acceptance output; a later input of the same state partition on another
    /// topic wrote the key's state (already "sent") first; a kill then restored "sent" and the
    /// replayed payment produced nothing.
    @Test("co-partitioned topics share the order of state writes: a later input of another topic waits for the earlier input's outputs")
    func inputOrderPerStatePartitionAcrossTopics() {
        var ledger = InputLedger<Int>()
        var tracker = OffsetTracker()
        func ticket(_ topic: String, _ offset: Int64, partition: Int32 = 3) -> OffsetTracker.Ticket? {
            if case .tracked(let ticket) = tracker.register(offset, in: TopicPartition(topic: topic, partition: partition)) { return ticket }
            return nil
        }
        guard let payment = ticket("shop.payments", 7), let status = ticket("erp.order-status", 2),
              let other = ticket("shop.orders", 0, partition: 4) else { Issue.record("no tickets"); return }
        #expect(ledger.admit(payment, outputs: 2, changes: [("WEB-1", 1)]).isEmpty)
        #expect(ledger.admit(status, outputs: 0, changes: [("WEB-1", 2)]).isEmpty,
                "the key's value after the later input holds the payment's effects: not written before the payment's outputs")
        #expect(ledger.outputDelivered(payment).isEmpty)
        let batch = ledger.outputDelivered(payment)
        #expect(batch.count == 1)
        #expect(batch.first?.tickets == [payment, status])
        #expect(batch.first?.changes == ["WEB-1": 2])
        #expect(batch.first?.statePartition == 3)
        // Another state partition is not held up by this one.
        var otherLedger = InputLedger<Int>()
        _ = otherLedger.admit(payment, outputs: 1, changes: [])
        #expect(otherLedger.admit(other, outputs: 0, changes: [("x", 1)]).first?.tickets == [other], "state partition 4 is written at once")
    }

    /// The chaos run's "credit limit" finding: a release (work, tied to no input) wrote the
    /// order's "sent" while the hold before it still waited for its exception; a kill then
    /// restored "sent" and the replayed hold raised nothing.
    @Test("work tied to no input waits behind the earlier inputs of its state partition, and a later input waits behind it")
    func workInPartitionOrder() {
        var ledger = InputLedger<Int>()
        let t = Self.tickets(2)
        #expect(ledger.admit(t[0], outputs: 1, changes: [("WEB-1", 1)]).isEmpty)
        #expect(ledger.admit(.work(7), statePartition: 0, outputs: 1, changes: [("WEB-1", 2)]).isEmpty)
        #expect(ledger.admit(t[1], outputs: 0, changes: [("WEB-2", 3)]).isEmpty, "behind the work")
        #expect(ledger.outputDelivered(.work(7)).isEmpty, "the hold's exception is not delivered yet: the release's state waits")
        let batch = ledger.outputDelivered(t[0])
        #expect(batch.first?.items == [.input(t[0]), .work(7), .input(t[1])])
        #expect(batch.first?.tickets == [t[0], t[1]])
        #expect(batch.first?.changes == ["WEB-1": 2, "WEB-2": 3])
        // Work of another state partition is not held up.
        #expect(ledger.admit(.work(8), statePartition: 1, outputs: 0, changes: [("x", 1)]).first?.items == [.work(8)])
    }

    @Test("a state partition given up forgets its work and its batches; a revoke of an input partition keeps the work")
    func forgetWork() throws {
        var ledger = InputLedger<Int>()
        let t = Self.tickets(1)
        _ = ledger.admit(t[0], outputs: 1, changes: [])
        _ = ledger.admit(.work(1), statePartition: 0, outputs: 0, changes: [("k", 1)])
        ledger.revoke(Self.partition)
        let batch = try #require(ledger.admit(.work(2), statePartition: 0, outputs: 0, changes: [("k", 2)]).first,
                                 "the revoked input no longer holds the work back")
        #expect(batch.items == [.work(1), .work(2)])
        #expect(ledger.batchProduced(batch, records: 1).isEmpty)
        ledger.forget(statePartitions: [0])
        #expect(!ledger.isPending(batch: batch.id))
        #expect(ledger.changelogDelivered(batch: batch.id).isEmpty, "a late delivery changes nothing")
    }

    @Test("a revoke of one topic's partition forgets only its inputs")
    func revokeOneTopic() {
        var ledger = InputLedger<Int>()
        var tracker = OffsetTracker()
        guard case .tracked(let a) = tracker.register(0, in: TopicPartition(topic: "a", partition: 0)),
              case .tracked(let b) = tracker.register(0, in: TopicPartition(topic: "b", partition: 0)) else { Issue.record("no tickets"); return }
        _ = ledger.admit(a, outputs: 1, changes: [])
        _ = ledger.admit(b, outputs: 1, changes: [("k", 1)])
        ledger.revoke(TopicPartition(topic: "a", partition: 0))
        #expect(ledger.pendingInputs == 1)
        #expect(ledger.outputDelivered(b).first?.tickets == [b])
    }

    @Test("inputs are done only once their batch's changelog records are all delivered")
    func batchCompletion() {
        var ledger = InputLedger<Int>()
        let t = Self.tickets(1)
        let batch = ledger.admit(t[0], outputs: 0, changes: [("a", 1), ("b", 2)])[0]
        #expect(ledger.batchProduced(batch, records: 2).isEmpty)
        #expect(ledger.changelogDelivered(batch: batch.id).isEmpty)
        #expect(ledger.changelogDelivered(batch: batch.id) == [.input(t[0])])
        #expect(ledger.changelogDelivered(batch: batch.id).isEmpty, "a batch completes once")
    }

    @Test("a revoked partition is forgotten: late deliveries change nothing")
    func revoke() {
        var ledger = InputLedger<Int>()
        let t = Self.tickets(1)
        _ = ledger.admit(t[0], outputs: 1, changes: [])
        ledger.revoke(Self.partition)
        #expect(ledger.outputDelivered(t[0]).isEmpty)
        #expect(ledger.pendingInputs == 0)
    }
}

@Suite("Coalescing buffer: latest wins per topic and key")
struct CoalescingBufferTests {
    @Test("a burst on one key leaves one output, its last value, waited for by every input of the burst")
    func burst() {
        var buffer = CoalescingBuffer<Int>()
        let t = InputLedgerTests.tickets(1000)
        let start = ContinuousClock.now
        for (index, ticket) in t.enumerated() {
            buffer.add(index, key: .init(topic: "out", key: "sku"), ticket: ticket, now: start)
        }
        #expect(buffer.count == 1)
        #expect(buffer.takeDue(now: start, linger: .milliseconds(100), maxKeys: 10).isEmpty, "held for the linger")
        let due = buffer.takeDue(now: start + .milliseconds(100), linger: .milliseconds(100), maxKeys: 10)
        #expect(due.map(\.record) == [999])
        #expect(due.first?.tickets == t)
        #expect(buffer.count == 0)
    }

    @Test("keys are independent and leave oldest first; too many keys flush everything")
    func keysAndLimit() {
        var buffer = CoalescingBuffer<String>()
        let t = InputLedgerTests.tickets(3)
        let start = ContinuousClock.now
        buffer.add("a", key: .init(topic: "out", key: "1"), ticket: t[0], now: start)
        buffer.add("b", key: .init(topic: "out", key: "2"), ticket: t[1], now: start + .milliseconds(50))
        #expect(buffer.takeDue(now: start + .milliseconds(100), linger: .milliseconds(100), maxKeys: 10).map(\.record) == ["a"])
        buffer.add("c", key: .init(topic: "other", key: "2"), ticket: t[2], now: start + .milliseconds(60))
        #expect(buffer.takeDue(now: start + .milliseconds(61), linger: .milliseconds(100), maxKeys: 1).map(\.record) == ["b", "c"])
    }
}
