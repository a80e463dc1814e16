import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import StatusNotifierFlow
import Testing

/// status-notifier forgets an order's progress `retention_days` after its last event once it
/// is delivered or cancelled; a late status for a forgotten order notifies no one again.
@Suite("status-notifier: retention and forgotten orders")
struct ProgressRetentionTests {
    static let start = OrderLives.start
    static func day(_ days: Double) -> Instant { OrderLives.day(days) }
    static let topics: Set<String> = [Topics.shopOrders, Topics.erpOrderStatus, Topics.erpInvoices]

    static func flow(retentionDays: Int = 3) -> StatusNotifier {
        var rules = StatusNotifierRules.defaults
        rules.retention = Retention(days: retentionDays)
        return StatusNotifier(rules: rules)
    }

    static func progress(_ status: OrderStatus?) -> OrderProgress {
        var progress = OrderProgress()
        progress.status = status
        progress.lastEventAt = start
        return progress
    }

    @Test("an order's progress is finished (forgotten 60 days after its last event) when…", arguments: [
        (OrderStatus.delivered, true), (.cancelled, true), (.shipped, false), (.partiallyShipped, false), (.inPreparation, false), (.validated, false),
    ])
    func finished(_ status: OrderStatus, _ finished: Bool) {
        let progress = Self.progress(status)
        #expect(progress.isFinished == finished)
        #expect(progress.expiry(StatusNotifierRules.defaults.retention) == (finished ? Self.day(60) : nil))
        #expect(Self.progress(nil).expiry(StatusNotifierRules.defaults.retention) == nil, "nothing known yet: kept")
    }

    @Test("delivered: tombstoned after the retention; a late status is then an exception and notifies no one")
    func forgottenAndLate() throws {
        var timeline = FlowTimeline(flow: Self.flow())
        let key = OrderLives.number(0).rawValue
        for input in OrderLives.life(0, placedAt: Self.start, topics: Self.topics) { try timeline.feed(input, tables: StaticTables([:])) }
        let notifications = timeline.outputs.filter { $0.topic == Topics.shopNotifications }.count
        #expect(notifications >= 2, "confirmed, shipped, delivered")
        try timeline.advance(to: Self.day(5).adding(seconds: -1), tables: StaticTables([:]))
        #expect(timeline.store[key] != nil)
        try timeline.advance(to: Self.day(5), tables: StaticTables([:]))
        #expect(timeline.store[key] == nil)
        #expect(timeline.changelog.last?.key == key && timeline.changelog.last?.value == nil)

        let late = OrderLives.input(OrderLives.status(0, .delivered, sequence: 3, at: Self.day(2)), topic: Topics.erpOrderStatus, key: key,
                                    name: "late", at: Self.day(30))
        try timeline.feed(late, tables: StaticTables([:]))
        #expect(timeline.outputs.filter { $0.topic == Topics.shopNotifications }.count == notifications, "no second 'delivered' e-mail")
        let exception = try MessageCodec().decode(BusinessException.self, from: try #require(timeline.outputs.last?.value))
        #expect(exception.details["reason_code"] == "forgotten_order")
        #expect(timeline.store[key] == nil)
    }

    @Test("crash and replay: the same tombstones and outputs as one straight run", arguments: [(20, 20), (37, 30), (55, 0)])
    func replayEquivalence(_ crashAfter: Int, _ replayFrom: Int) throws {
        let inputs = OrderLives.lives(15, from: Self.start, spacing: 5_000, topics: Self.topics)
        let run = try TimelineReplay(Self.flow(), inputs: inputs, tables: StaticTables([:]), crashAfter: crashAfter, replayFrom: replayFrom, endAt: Self.day(30))
        #expect(run.straightTombstones.count == 15)
        #expect(run.replayedTombstones == run.straightTombstones)
        #expect(run.replayed.store.snapshot == run.straight.store.snapshot)
        #expect(try #require(run.replayedOutputsByID) == (try #require(run.straightOutputsByID)))
    }
}
