import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import PaymentLettererFlow
import Testing

/// payment-letterer forgets an order's account `retention_days` after its last event once it
/// is settled; a late payment or invoice for a forgotten order is an exception, never a second
/// receipt.
@Suite("payment-letterer: retention and forgotten orders")
struct AccountRetentionTests {
    static let start = OrderLives.start
    static func day(_ days: Double) -> Instant { OrderLives.day(days) }
    static let topics: Set<String> = [Topics.shopPayments, Topics.erpInvoices, Topics.erpSalesOrders]

    static func flow(retentionDays: Int = 3) -> PaymentLetterer {
        var rules = PaymentLettererRules.defaults
        rules.retention = Retention(days: retentionDays)
        return PaymentLetterer(rules: rules)
    }

    static func salesOrder(_ index: Int) -> ERPSalesOrder? {
        try? Pay.salesOrder(order: OrderLives.number(index).rawValue, 1200, account: "WEB-GUEST")
    }

    /// The account after these inputs of order 0's life (by position in `OrderLives.life`).
    static func account(after count: Int) throws -> OrderAccount {
        var timeline = FlowTimeline(flow: flow())
        for input in OrderLives.life(0, placedAt: start, topics: topics, salesOrder: salesOrder(0)).prefix(count) {
            try timeline.feed(input, tables: StaticTables([:]))
        }
        guard case .account(let account)? = timeline.store[OrderLives.number(0).rawValue] else { throw AccountMissing() }
        return account
    }

    @Test("an account is settled (and forgotten 90 days after its last event) once…", arguments: [
        (1, false, "the sales order only: nothing invoiced"),
        (2, false, "sales order and capture: receipt posted, nothing invoiced"),
        (3, true, "invoiced in full and lettered against the capture"),
    ])
    func settled(_ count: Int, _ settled: Bool, _ name: String) throws {
        let account = try Self.account(after: count)
        #expect(account.isSettled == settled, "\(name)")
        #expect((account.expiry(PaymentLettererRules.defaults.retention) != nil) == settled)
        if settled { #expect(account.expiry(PaymentLettererRules.defaults.retention) == account.lastEventAt?.adding(days: 90)) }
    }

    @Test("an invoice not covered by payments is an open balance: kept")
    func openBalanceKept() throws {
        var timeline = FlowTimeline(flow: Self.flow())
        let key = OrderLives.number(0).rawValue
        for input in OrderLives.life(0, placedAt: Self.start, topics: [Topics.erpInvoices, Topics.erpSalesOrders], salesOrder: Self.salesOrder(0)) {
            try timeline.feed(input, tables: StaticTables([:]))
        }
        try timeline.advance(to: Self.day(400), tables: StaticTables([:]))
        #expect(timeline.store[key]?.isSettled == false)
    }

    @Test("settled: tombstoned after the retention; a late capture then is an exception, no second receipt")
    func forgottenAndLate() throws {
        var timeline = FlowTimeline(flow: Self.flow())
        let key = OrderLives.number(0).rawValue
        for input in OrderLives.life(0, placedAt: Self.start, topics: Self.topics, salesOrder: Self.salesOrder(0)) {
            try timeline.feed(input, tables: StaticTables([:]))
        }
        try timeline.advance(to: Self.day(4).adding(seconds: -1), tables: StaticTables([:]))
        #expect(timeline.store[key] != nil, "invoiced on day 1: kept 3 days")
        try timeline.advance(to: Self.day(4), tables: StaticTables([:]))
        #expect(timeline.store[key] == nil)
        #expect(timeline.changelog.last?.key == key && timeline.changelog.last?.value == nil, "a tombstone")
        let receipts = timeline.outputs.filter { $0.topic == Topics.erpReceipts }.count
        #expect(receipts == 1)

        let late = OrderLives.input(OrderLives.payment(0, at: Self.start), topic: Topics.shopPayments, key: key, name: "late", at: Self.day(20))
        try timeline.feed(late, tables: StaticTables([:]))
        #expect(timeline.outputs.filter { $0.topic == Topics.erpReceipts }.count == receipts, "no second receipt")
        let exception = try MessageCodec().decode(BusinessException.self, from: try #require(timeline.outputs.last?.value))
        #expect(exception.details["reason_code"] == "forgotten_order")
        #expect(timeline.store[key] == nil)
    }

    @Test("crash and replay: the same tombstones and outputs as one straight run", arguments: [(15, 15), (22, 10), (40, 31)])
    func replayEquivalence(_ crashAfter: Int, _ replayFrom: Int) throws {
        let inputs = OrderLives.lives(15, from: Self.start, spacing: 5_000, topics: Self.topics, salesOrder: Self.salesOrder)
        let run = try TimelineReplay(Self.flow(), inputs: inputs, tables: StaticTables([:]), crashAfter: crashAfter, replayFrom: replayFrom, endAt: Self.day(30))
        #expect(run.straightTombstones.count == 15)
        #expect(run.replayedTombstones == run.straightTombstones)
        #expect(run.replayed.store.snapshot == run.straight.store.snapshot)
        #expect(try #require(run.replayedOutputsByID) == (try #require(run.straightOutputsByID)))
    }
}

/// The timeline holds no account for the order.
struct AccountMissing: Error {}
