import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// The credit limit over all the account's orders, whatever partition holds them, as the
/// README's order-ingest rules say it: each order on account publishes what it owes on
/// `bus.account-exposure`; a credit check adds the partition's own orders (its state) to the
/// other partitions' (the table); a fall of the table's figure judges the held orders again.
@Suite("order-ingest: an account's exposure over every partition (bus.account-exposure)")
struct AccountExposureTableTests {
    static let account = ERPAccountCode("C000800")

    /// An entry as another partition's order-ingest publishes it.
    static func entry(_ order: String, _ cents: Int64, account: String = "C000800", currency: Currency = .eur) -> AccountOrderExposure {
        AccountOrderExposure(orderNumber: OrderNumber(order), accountCode: ERPAccountCode(account), open: Money(amount: cents, currency: currency),
                             updatedAt: Shop.at(minutes: 500))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// What this partition's index holds for the account: order → cents.
        var here: [String: Int64] = [:]
        /// Orders whose record is in this partition (those of `here`, and others that owe nothing now).
        var recordsHere: Set<String> = []
        /// The table's entries.
        var table: [AccountOrderExposure] = []
        var expected: Int64
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the partition's own open orders alone", here: ["WEB-0": 69_900], recordsHere: ["WEB-0"], expected: 69_900),
        Case(name: "plus another partition's open order, from the table", here: ["WEB-0": 69_900], recordsHere: ["WEB-0"],
             table: [entry("WEB-X", 50_000)], expected: 119_900),
        Case(name: "no order here: the other partitions' orders are the whole exposure", table: [entry("WEB-X", 50_000), entry("WEB-Y", 1_000)],
             expected: 51_000),
        Case(name: "an order of this partition is counted once, from the state, though the table still shows an older figure",
             here: ["WEB-0": 39_900], recordsHere: ["WEB-0"], table: [entry("WEB-0", 69_900)], expected: 39_900),
        Case(name: "an order of this partition paid here, not yet read back from the table: nothing", recordsHere: ["WEB-0"],
             table: [entry("WEB-0", 69_900)], expected: 0),
        Case(name: "an order of this partition sent here, not yet read back from the table: counted", here: ["WEB-0": 69_900], recordsHere: ["WEB-0"],
             expected: 69_900),
        Case(name: "another partition's order paid: its zero entry counts nothing", table: [entry("WEB-X", 0)], expected: 0),
        Case(name: "the order judged is never counted, from the table either", table: [entry("WEB-1", 50_000)], expected: 0),
        Case(name: "another account's orders are not this account's", table: [entry("WEB-X", 50_000, account: "C000999")], expected: 0),
        Case(name: "an entry in another currency is not compared", table: [entry("WEB-X", 50_000, currency: .usd)], expected: 0),
    ]

    @Test("the account's open amount…", arguments: cases)
    func openAmount(_ c: Case) throws {
        var index = AccountExposure()
        for (order, cents) in c.here {
            index.set(OrderNumber(order), owing: AccountCharge(account: Self.account, amount: Shop.money(cents)))
        }
        var tables = StaticTables()
        for entry in c.table { tables = tables.adding(entry, in: Topics.accountExposure, key: entry.orderNumber.rawValue) }
        let open = index.open(Self.account, in: .eur, excluding: "WEB-1", elsewhere: tables) { c.recordsHere.contains($0.rawValue) }
        #expect(open == Shop.money(c.expected))
    }

    @Test("the table finds an account's keys by group, and a key that moves to another account leaves the first")
    func groupedKeys() {
        var tables = StaticTables()
        tables = tables.adding(Self.entry("WEB-X", 1), in: Topics.accountExposure, key: "WEB-X")
        tables = tables.adding(Self.entry("WEB-Y", 1, account: "C000999"), in: Topics.accountExposure, key: "WEB-Y")
        #expect(tables.keys(in: Topics.accountExposure, group: "C000800") == ["WEB-X"])
        tables = tables.adding(Self.entry("WEB-X", 1, account: "C000999"), in: Topics.accountExposure, key: "WEB-X")
        #expect(tables.keys(in: Topics.accountExposure, group: "C000800").isEmpty)
        #expect(tables.keys(in: Topics.accountExposure, group: "C000999") == ["WEB-X", "WEB-Y"])
    }

    @Test("another partition's open order counts against the limit: this partition's order is held with both figures")
    func otherPartitionCounts() throws {
        let bench = AccountCreditTests.bench()
        bench.tables = bench.tables.adding(Self.entry("WEB-X", 69_900), in: Topics.accountExposure, key: "WEB-X")
        let outputs = try bench.place(AccountCreditTests.order("WEB-1", mugs: 50))
        #expect(outputs.messages(OrderAcceptance.self).map(\.status) == [.held])
        let exception = try #require(outputs.messages(BusinessException.self).first)
        #expect(exception.details["open_before"] == "699.00 EUR")
        #expect(exception.details["open_amount"] == "1048.50 EUR")
        #expect(bench.record("WEB-1")?.creditHeldFor == Self.account)
        #expect(outputs.messages(AccountOrderExposure.self).isEmpty, "a held order owes nothing yet")
    }

    @Test("the other partition's order paid (its entry falls to zero): the held order is judged again and sent, once")
    func otherPartitionPaid() throws {
        let bench = AccountCreditTests.bench()
        bench.tables = bench.tables.adding(Self.entry("WEB-X", 69_900), in: Topics.accountExposure, key: "WEB-X")
        try bench.place(AccountCreditTests.order("WEB-1", mugs: 50))
        let unrelated = try bench.publish(Self.entry("WEB-Z", 0, account: "C000999"), in: Topics.accountExposure, key: "WEB-Z")
        #expect(unrelated.isEmpty, "another account's entry frees nothing")
        let lower = try bench.publish(Self.entry("WEB-X", 69_000), in: Topics.accountExposure, key: "WEB-X")
        #expect(lower.messages(ERPSalesOrder.self).isEmpty && lower.messages(OrderAcceptance.self).isEmpty, "690.00 + 349.50 still beyond: held, told once")
        let paid = try bench.publish(Self.entry("WEB-X", 0), in: Topics.accountExposure, key: "WEB-X")
        #expect(paid.messages(ERPSalesOrder.self).map(\.externalReference) == ["WEB-1"])
        #expect(paid.messages(ERPSalesOrder.self).first?.paymentTerms == "NET30")
        #expect(paid.messages(AccountOrderExposure.self).map { "\($0.orderNumber) \($0.accountCode) \($0.open)" } == ["WEB-1 C000800 349.50 EUR"],
                "the order sent publishes what it owes, for the other partitions")
        #expect(try bench.publish(Self.entry("WEB-X", 0), in: Topics.accountExposure, key: "WEB-X").isEmpty, "read again: nothing more")
    }

    @Test("what an order on account owes is published when it changes: sent, then cancelled in the ERP (zero); a prepaid order publishes nothing")
    func publishedFigures() throws {
        let bench = AccountCreditTests.bench()
        let sent = try bench.place(AccountCreditTests.order("WEB-0", mugs: 100))
        #expect(sent.to(Topics.accountExposure).map(\.key) == ["WEB-0"])
        #expect(sent.messages(AccountOrderExposure.self).map(\.open) == [Shop.money(69_900)])
        #expect(sent.messages(AccountOrderExposure.self).allSatisfy { $0.validate().isEmpty })
        #expect(try bench.place(AccountCreditTests.order("WEB-1", payment: .card, status: .authorised)).to(Topics.accountExposure).isEmpty)
        let cancelled = try bench.handle(ERPOrderStatus(orderNumber: "WEB-0", erpOrderReference: "SO-1", status: .cancelled, sequence: 1,
                                                        statusAt: Shop.at(minutes: 610), shipments: [], problems: [], documents: []), key: "WEB-0")
        #expect(cancelled.messages(AccountOrderExposure.self).map(\.open) == [Shop.money(0)])
    }

    @Test("an order on account forgotten by retention: its entry on bus.account-exposure is deleted (a tombstone), so the table stays bounded")
    func forgotten() throws {
        let bench = AccountCreditTests.bench()
        try bench.place(AccountCreditTests.order("WEB-0", mugs: 100))
        try bench.handle(ERPOrderStatus(orderNumber: "WEB-0", erpOrderReference: "SO-1", status: .cancelled, sequence: 1,
                                        statusAt: Shop.at(minutes: 610), shipments: [], problems: [], documents: []), key: "WEB-0")
        var state = FlowState(store: bench.store)
        let outputs = try bench.flow.wake(FlowTimer(key: "WEB-0", due: Shop.at(minutes: 610).adding(days: 91)), state: &state, tables: bench.tables)
        bench.store.apply(state.changes)
        #expect(bench.record("WEB-0") == nil, "forgotten")
        #expect(outputs.map { "\($0.topic) \($0.key ?? "-") \($0.message == nil ? "tombstone" : "message")" } == ["bus.account-exposure WEB-0 tombstone"])
    }
}
