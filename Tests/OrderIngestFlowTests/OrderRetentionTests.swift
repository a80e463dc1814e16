import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import Testing

/// order-ingest forgets a finished order `retention_days` after its last event; a placement of
/// a forgotten order is an exception, never a second ERP order; batched release is a timer.
@Suite("order-ingest: retention, forgotten orders, release timers")
struct OrderRetentionTests {
    static let start = OrderLives.start
    static func day(_ days: Double) -> Instant { OrderLives.day(days) }
    static let topics: Set<String> = [Topics.shopOrders, Topics.shopPayments, Topics.erpOrderStatus]

    static func flow(retentionDays: Int = 3) -> OrderIngest {
        var rules = OrderIngestRules.defaults
        rules.retention = Retention(days: retentionDays)
        return OrderIngest(rules: rules)
    }

    static func record(_ stage: OrderStage, erp: OrderStatus? = nil, shipped: [Int: String] = [:], returned: [Int: String] = [:]) -> OrderRecord {
        var record = OrderRecord()
        record.stage = stage
        record.erpStatus = erp
        record.shipped = shipped.mapValues { Quantity($0)! }
        record.returned = returned.mapValues { Quantity($0)! }
        record.lastEventAt = start
        return record
    }

    @Test("an order is finished, and forgotten 90 days after its last event, when…", arguments: [
        ("delivered in the ERP", record(.sent, erp: .delivered), true),
        ("cancelled in the ERP", record(.sent, erp: .cancelled), true),
        ("fully returned", record(.sent, erp: .shipped, shipped: [1: "2", 2: "1"], returned: [1: "2", 2: "1"]), true),
        ("cancelled before the ERP", record(.cancelled), true),
        ("refused (payment method never imported)", record(.refused), true),
        ("a payment whose order never came", record(.notPlaced), true),
        ("shipped, not delivered: kept", record(.sent, erp: .shipped), false),
        ("partly returned: kept", record(.sent, erp: .shipped, shipped: [1: "2"], returned: [1: "1"]), false),
        ("held for a person: kept", record(.held), false),
        ("awaiting payment: kept", record(.awaitingPayment), false),
        ("scheduled for a release: kept", record(.scheduled), false),
    ])
    func finished(_ name: String, _ record: OrderRecord, _ finished: Bool) {
        #expect(record.isFinished == finished, "\(name)")
        #expect(record.expiry(OrderIngestRules.defaults.retention) == (finished ? Self.day(90) : nil), "\(name)")
        #expect(record.expiry(.forever) == nil, "retention 0 keeps everything")
        #expect(Self.flow().wakeTime(key: "K", value: .order(record)) == (finished ? Self.day(3) : nil))
    }

    @Test("a delivered order is kept until its last event + retention, then tombstoned; a re-sent placement is then an exception, not a second ERP order")
    func forgottenAndResent() throws {
        var timeline = FlowTimeline(flow: Self.flow())
        for input in OrderLives.life(0, placedAt: Self.start, topics: Self.topics) { try timeline.feed(input, tables: OrderLives.tables) }
        let key = OrderLives.number(0).rawValue
        try timeline.advance(to: Self.day(2 + 3).adding(seconds: -1), tables: OrderLives.tables)
        #expect(timeline.store[key] != nil, "delivered on day 2: kept for 3 days")
        try timeline.advance(to: Self.day(5), tables: OrderLives.tables)
        #expect(timeline.store[key] == nil)
        let last = try #require(timeline.changelog.last { $0.key == key })
        #expect(last.value == nil, "the removal is a tombstone on the changelog")
        #expect(timeline.outputs.filter { $0.topic == Topics.erpSalesOrders }.count == 1)

        // The site sends the placement again, a week later.
        let resent = OrderLives.input(OrderLives.siteOrder(0, at: Self.start), topic: Topics.shopOrders, key: key, name: "resent", at: Self.day(12))
        try timeline.feed(resent, tables: OrderLives.tables)
        #expect(timeline.outputs.filter { $0.topic == Topics.erpSalesOrders }.count == 1, "never a second ERP order")
        let exception = try #require(timeline.outputs.last)
        #expect(exception.topic == Topics.exceptions)
        let decoded = try MessageCodec().decode(BusinessException.self, from: try #require(exception.value))
        #expect(decoded.details["reason_code"] == "forgotten_order")
        #expect(decoded.entity.key == key)
        #expect(timeline.store[key] == nil, "nothing is kept for it")
    }

    @Test("judged by the partition's clock: a re-sent placement with its old CloudEvents time is still refused")
    func oldEnvelopeTime() throws {
        var timeline = FlowTimeline(flow: Self.flow())
        for input in OrderLives.life(0, placedAt: Self.start, topics: Self.topics) { try timeline.feed(input, tables: OrderLives.tables) }
        try timeline.advance(to: Self.day(20), tables: OrderLives.tables)
        let key = OrderLives.number(0).rawValue
        try timeline.feed(OrderLives.input(OrderLives.siteOrder(0, at: Self.start), topic: Topics.shopOrders, key: key, name: "o-0", at: Self.start),
                          tables: OrderLives.tables)
        #expect(timeline.outputs.filter { $0.topic == Topics.erpSalesOrders }.count == 1)
        #expect(timeline.outputs.last?.topic == Topics.exceptions)
    }

    @Test("an unknown order placed within retention less margin is a new order; without retention nothing is forgotten")
    func recentUnknownIsNew() throws {
        var timeline = FlowTimeline(flow: Self.flow())
        let placed = OrderLives.siteOrder(7, at: Self.day(10 - 1.9))
        try timeline.feed(OrderLives.input(placed, topic: Topics.shopOrders, key: placed.orderNumber.rawValue, name: "late", at: Self.day(10)),
                          tables: OrderLives.tables)
        #expect(timeline.outputs.map(\.topic).contains(Topics.erpSalesOrders), "1.9 days old, retention 3 less a margin of at most half of it (1 day): still new")

        var forever = FlowTimeline(flow: Self.flow(retentionDays: 0))
        for input in OrderLives.life(0, placedAt: Self.start, topics: Self.topics) { try forever.feed(input, tables: OrderLives.tables) }
        try forever.advance(to: Self.day(400), tables: OrderLives.tables)
        #expect(forever.store.count == 1)
        #expect(forever.timersFired == 0)
    }

    @Test("crash and replay: the same tombstones and outputs (ids and bytes) as one straight run", arguments: [(20, 20), (33, 25), (51, 40), (70, 0)])
    func replayEquivalence(_ crashAfter: Int, _ replayFrom: Int) throws {
        let inputs = OrderLives.lives(20, from: Self.start, spacing: 7_200, topics: Self.topics)
        let run = try TimelineReplay(Self.flow(), inputs: inputs, tables: OrderLives.tables, crashAfter: crashAfter, replayFrom: replayFrom, endAt: Self.day(30))
        #expect(run.straight.store.count == 0, "every order delivered and forgotten by day 30")
        #expect(run.straightTombstones.count == 20)
        #expect(run.replayedTombstones == run.straightTombstones)
        #expect(run.replayed.store.snapshot == run.straight.store.snapshot)
        let straight = try #require(run.straightOutputsByID)
        let replayed = try #require(run.replayedOutputsByID, "one id, one value: readers deduplicate the replay")
        #expect(replayed == straight)
    }

    @Test("batched: the release queue's timer sends due orders when no input comes; a replay sends the same, with the same ids")
    func releaseTimer() throws {
        var rules = OrderIngestRules.defaults
        rules.releaseMode = .batched
        rules.releaseTimes = ["12:00"]
        rules.timeZone = "UTC"
        let flow = OrderIngest(rules: rules)
        let placed = OrderLives.siteOrder(1, at: Self.day(0.25))
        let input = OrderLives.input(placed, topic: Topics.shopOrders, key: placed.orderNumber.rawValue, name: "o-1", at: Self.day(0.25))
        var runs: [[FlowTimeline<OrderIngest>.Written]] = []
        for _ in 0..<2 {
            var timeline = FlowTimeline(flow: flow)
            try timeline.feed(input, tables: OrderLives.tables)
            #expect(!timeline.outputs.map(\.topic).contains(Topics.erpSalesOrders), "06:00: waits for 12:00")
            #expect(flow.wakeTime(key: ReleaseQueue.stateKey, value: try #require(timeline.store[ReleaseQueue.stateKey])) == Self.day(0.5))
            try timeline.advance(to: Self.day(0.5).adding(seconds: -1), tables: OrderLives.tables)
            #expect(!timeline.outputs.map(\.topic).contains(Topics.erpSalesOrders))
            try timeline.advance(to: Self.day(0.5), tables: OrderLives.tables)
            #expect(timeline.outputs.map(\.topic).filter { $0 == Topics.erpSalesOrders }.count == 1, "released at 12:00 with no input")
            #expect(timeline.store[ReleaseQueue.stateKey] == nil, "the emptied queue is tombstoned")
            runs.append(timeline.outputs)
        }
        #expect(runs[0] == runs[1])
    }
}
