import BusKafka
@testable import BusRuntime
import Testing

/// An operator's command waits until its partition has handled what it held when the command
/// came: a successor replaying a held order must not answer its release "unknown order".
@Suite("Command gate: a command waits for its partition to catch up")
struct CommandGateTests {
    static let orders = TopicPartition(topic: "shop.orders", partition: 3)
    static let payments = TopicPartition(topic: "shop.payments", partition: 3)
    static let t0 = ContinuousClock.now

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var positions: [TopicPartition: Int64]
        var committed: [TopicPartition: Int64]
        var reached: Bool
        var description: String { name }
    }

    @Test("reached when every input partition's handled inputs reach the end it had when the command came", arguments: [
        Row(name: "both at their ends", positions: [orders: 10, payments: 4], committed: [:], reached: true),
        Row(name: "one partition still replaying", positions: [orders: 9, payments: 4], committed: [:], reached: false),
        Row(name: "nothing handled since the assignment, committed at the end", positions: [orders: 10], committed: [payments: 4], reached: true),
        Row(name: "nothing handled, committed behind: the replay is to come", positions: [orders: 10], committed: [payments: 2], reached: false),
        Row(name: "nothing handled and nothing committed", positions: [orders: 10], committed: [:], reached: false),
    ])
    func reached(_ row: Row) {
        let targets = [Self.orders: Int64(10), Self.payments: 4]
        #expect(CommandGate<String>.isReached(targets, committed: row.committed, position: { row.positions[$0] }) == row.reached, "\(row.name)")
    }

    /// `bus orders release` on a running worker went unanswered for 30 s: shop.payments[p],
    /// never written, had no committed offset to stand for its position.
    @Test("an empty input partition is no target: nothing to wait for")
    func emptyPartitions() {
        let targets = CommandGate<String>.targets(ends: [Self.orders: (low: 0, high: 10), Self.payments: (low: 0, high: 0),
                                                         TopicPartition(topic: "erp.order-status", partition: 3): (low: 7, high: 7)])
        #expect(targets == [Self.orders: 10])
        #expect(CommandGate<String>.isReached(targets, committed: [Self.orders: 10], position: { _ in nil }))
    }

    @Test("a parked command runs once its partition catches up, late after its patience, never for a partition given up")
    func takeReady() {
        var gate = CommandGate<String>(patience: .seconds(30))
        gate.park("release WEB-1", partition: 3, targets: [Self.orders: 10], committed: [Self.orders: 8], now: Self.t0)
        gate.park("cancel WEB-2", partition: 3, targets: [Self.payments: 4], committed: [:], now: Self.t0)
        gate.park("release WEB-3", partition: 5, targets: [TopicPartition(topic: "shop.orders", partition: 5): 1], committed: [:], now: Self.t0)
        var positions: [TopicPartition: Int64] = [Self.orders: 9]
        var owned: Set<Int32> = [3, 5]
        #expect(gate.takeReady(now: Self.t0, owned: { owned.contains($0) }, position: { positions[$0] }).isEmpty)
        positions[Self.orders] = 10
        owned.remove(5)
        let ready = gate.takeReady(now: Self.t0 + .seconds(1), owned: { owned.contains($0) }, position: { positions[$0] })
        #expect(ready.map(\.command) == ["release WEB-1"])
        #expect(ready.map(\.late) == [false])
        #expect(gate.parked.map(\.command) == ["cancel WEB-2"], "the one of partition 5, given up, is dropped")
        let late = gate.takeReady(now: Self.t0 + .seconds(30), owned: { owned.contains($0) }, position: { positions[$0] })
        #expect(late.map(\.command) == ["cancel WEB-2"])
        #expect(late.map(\.late) == [true])
        #expect(gate.parked.isEmpty)
    }
}
