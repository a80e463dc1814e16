import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

/// Overpayment: once the order is fully invoiced (its invoices reach the sales order's total),
/// money paid and not lettered, less refunds not lettered, beyond the tolerance is an exception,
/// raised when the account is still overpaid after `overpayment_wait_minutes` of the
/// partition's clock (`OverpaymentWait`).
@Suite("payment-letterer: overpayment")
struct OverpaymentRuleTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var sentence: String
        var steps: [Step]
        /// The excess reported, in cents, or nil for no exception.
        var excess: Int64?
        var testDescription: String { sentence }
    }

    static let rows: [Row] = [
        Row(sentence: "paid 2.00 more than the fully invoiced order: beyond the 0.05 tolerance, an exception",
            steps: [.order(revision: 1, 5000), .pay("p1", .card, 5200), .invoice("FA-1", 5000)], excess: 200),
        Row(sentence: "paid 0.05 more: within the tolerance, no exception",
            steps: [.order(revision: 1, 5000), .pay("p1", .card, 5005), .invoice("FA-1", 5000)], excess: nil),
        Row(sentence: "paid 0.06 more: beyond the tolerance",
            steps: [.order(revision: 1, 5000), .pay("p1", .card, 5006), .invoice("FA-1", 5000)], excess: 6),
        Row(sentence: "the overpayment may be found when the payment comes last",
            steps: [.order(revision: 1, 5000), .invoice("FA-1", 5000), .pay("p1", .card, 3000), .pay("p2", .giftCard, 3000)], excess: 1000),
        Row(sentence: "more paid than the first partial invoice is not an overpayment: the next invoice will take it",
            steps: [.order(revision: 1, 8000), .pay("p1", .card, 8000), .invoice("FA-1", 5000)], excess: nil),
        Row(sentence: "the last partial invoice settles it: no exception",
            steps: [.order(revision: 1, 8000), .pay("p1", .card, 8000), .invoice("FA-1", 5000), .invoice("FA-2", 3000)], excess: nil),
        Row(sentence: "the excess refunded before the order is fully invoiced: no exception",
            steps: [.order(revision: 1, 5000), .pay("p1", .card, 5200), .refund("r1", 200), .invoice("FA-1", 5000)], excess: nil),
        Row(sentence: "a revision that lowers the order's total turns the rest into an overpayment once invoiced",
            steps: [.order(revision: 1, 8000), .pay("p1", .card, 8000), .order(revision: 2, 5000), .invoice("FA-1", 5000)], excess: 3000),
        Row(sentence: "an older revision arriving late changes nothing",
            steps: [.order(revision: 2, 5000), .order(revision: 1, 8000), .pay("p1", .card, 8000), .invoice("FA-1", 5000)], excess: 3000),
        Row(sentence: "without the sales order the order is never known to be fully invoiced",
            steps: [.pay("p1", .card, 8000), .invoice("FA-1", 5000)], excess: nil),
    ]

    @Test("overpayment", arguments: rows)
    func overpayment(_ row: Row) throws {
        let bench = LettererBench()
        try bench.play(row.steps)
        #expect(bench.exceptions.isEmpty, "nothing before the wait ran out")
        try bench.wait(minutes: bench.pastTheOverpaymentWait)
        let overpayments = bench.exceptions.filter { $0.kind == .overpayment }
        #expect(overpayments.compactMap { $0.details["excess"] } == (row.excess.map { [Pay.euros($0).description] } ?? []))
        #expect(bench.exceptions.count == overpayments.count, "no other exception")
        if let exception = overpayments.first {
            #expect(exception.entity == EntityReference(kind: .order, key: "WEB-1"))
            #expect(exception.worker == .paymentLetterer)
            #expect(Pay.codec.problems(BusinessException.self, in: Pay.codec.encode(exception)).isEmpty)
        }
    }

    @Test("an overpayment is reported once per amount, however often the order is settled again")
    func reportedOnce() throws {
        let bench = LettererBench()
        try bench.play([.order(revision: 1, 5000), .pay("p1", .card, 5200), .invoice("FA-1", 5000), .wait(minutes: 61)])
        try bench.send(Pay.salesOrder(5000, revision: 2))
        try bench.wait(minutes: 200)
        #expect(bench.exceptions.count == 1)
        try bench.send(Pay.payment("p2", .voucher, 100))
        try bench.wait(minutes: 262)
        #expect(bench.exceptions.compactMap { $0.details["excess"] } == ["2.00 EUR", "3.00 EUR"], "a larger excess is new")
        #expect(Set(bench.exceptions.map(\.exceptionID)).count == 2)
    }

    struct WaitRow: Sendable, CustomTestStringConvertible {
        var sentence: String
        var steps: [Step]
        /// The excess of each overpayment raised, in cents, in order.
        var raised: [Int64]
        var waitMinutes = 60
        /// Whether the account is still overpaid, waiting, at the end.
        var waiting = false
        var testDescription: String { sentence }
    }

    /// An hour's wait (the default), the clock in minutes after the inputs.
    static let overpaid: [Step] = [.order(revision: 1, 5000), .pay("p1", .card, 5200), .invoice("FA-1", 5000)]
    static let waitRows: [WaitRow] = [
        WaitRow(sentence: "still overpaid when the hour runs out: raised then", steps: overpaid + [.wait(minutes: 60)], raised: [200]),
        WaitRow(sentence: "not before the hour has run out", steps: overpaid + [.wait(minutes: 59)], raised: [], waiting: true),
        WaitRow(sentence: "the excess refunded within the hour: never raised", steps: overpaid + [.wait(minutes: 30), .refund("r1", 200), .wait(minutes: 600)], raised: []),
        WaitRow(sentence: "the invoice read before the refund that came first (a replay), refunded within the hour: never raised",
                steps: [.order(revision: 1, 10000), .pay("p1", .card, 10000), .order(revision: 2, 8000), .invoice("FA-1", 8000), .refund("r1", 2000), .wait(minutes: 600)], raised: []),
        WaitRow(sentence: "a revision and an invoice for the rest within the hour: never raised",
                steps: overpaid + [.order(revision: 2, 5200), .invoice("FA-2", 200), .wait(minutes: 600)], raised: []),
        WaitRow(sentence: "refunded after the hour: raised once, and not again", steps: overpaid + [.wait(minutes: 61), .refund("r1", 200), .wait(minutes: 600)], raised: [200]),
        WaitRow(sentence: "the excess grows within the hour: the excess when it runs out is raised, once",
                steps: overpaid + [.wait(minutes: 20), .pay("p2", .voucher, 100), .wait(minutes: 600)], raised: [300]),
        WaitRow(sentence: "cleared, then overpaid again: the wait starts again",
                steps: overpaid + [.wait(minutes: 50), .refund("r1", 200), .pay("p2", .voucher, 300), .wait(minutes: 109)], raised: [], waiting: true),
        WaitRow(sentence: "no wait in the rules: raised at once", steps: overpaid, raised: [200], waitMinutes: 0),
    ]

    @Test("an overpayment waits: raised when the account is still overpaid once the wait ran out, never when cleared within it", arguments: waitRows)
    func wait(_ row: WaitRow) throws {
        var rules = PaymentLettererRules.defaults
        rules.overpaymentWaitMinutes = row.waitMinutes
        let bench = LettererBench(rules)
        try bench.play(row.steps)
        #expect(bench.exceptions.map(\.kind) == row.raised.map { _ in .overpayment })
        #expect(bench.exceptions.compactMap { $0.details["excess"] } == row.raised.map { Pay.euros($0).description })
        #expect(bench.proposals.map(\.amount.amount) == row.raised, "a refund proposed with each")
        #expect((bench.account()?.overpaidSince != nil) == row.waiting, "an overpayment still waiting, or none")
    }

    @Test("the wait counts on the partition's clock, through the flow's timer: the account asks to be woken when it runs out")
    func timer() throws {
        let bench = LettererBench()
        try bench.play(Self.overpaid)
        let state = try #require(bench.store["WEB-1"])
        #expect(bench.flow.wakeTime(key: "WEB-1", value: state) == Pay.start.adding(seconds: 3600))
        try bench.send(Pay.payment("r1", .card, 200, kind: .refund))
        let cleared = try #require(bench.store["WEB-1"])
        #expect(bench.flow.wakeTime(key: "WEB-1", value: cleared) == cleared.expiry(bench.flow.rules.retention), "only retention is left")
    }

    struct ToleranceRow: Sendable, CustomTestStringConvertible {
        var tolerance: String
        var currency: Currency
        var minor: Int64
        var testDescription: String { "a tolerance of \(tolerance) is \(minor) minor units of \(currency.code)" }
    }

    @Test("the tolerance is read in the order's currency, rounded down", arguments: [
        ToleranceRow(tolerance: "0.05", currency: .eur, minor: 5),
        ToleranceRow(tolerance: "0.05", currency: .jpy, minor: 0),
        ToleranceRow(tolerance: "1", currency: .jpy, minor: 1),
        ToleranceRow(tolerance: "0.009", currency: .eur, minor: 0),
    ])
    func tolerance(_ row: ToleranceRow) throws {
        var rules = PaymentLettererRules.defaults
        rules.overpaymentTolerance = try #require(ExactDecimal(row.tolerance))
        #expect(try rules.tolerance(in: row.currency).amount == row.minor)
    }

    @Test("a payment in another currency than the order's is an exception and stays out of lettering")
    func otherCurrency() throws {
        let bench = LettererBench()
        try bench.send(Pay.invoice("FA-1", 5050))
        try bench.send(Pay.payment("p1", .card, 5050, currency: .usd))
        try bench.send(Pay.payment("p2", .card, 5050))
        #expect(bench.receipts.count == 2, "both are booked: the money moved")
        #expect(bench.lettering == ["FA-1 ← p2 5050 = 0"])
        #expect(bench.exceptions.map(\.kind) == [.paymentMismatch])
        #expect(bench.exceptions.first?.details["found_currency"] == "USD")
    }

    @Test("a payment that came before the order's currency was known is checked when it becomes known")
    func currencyLearntLater() throws {
        let bench = LettererBench()
        try bench.send(Pay.payment("p1", .card, 5050, currency: .usd))
        try bench.send(Pay.invoice("FA-1", 5050))
        #expect(bench.entries.isEmpty)
        #expect(bench.exceptions.map(\.kind) == [.paymentMismatch])
    }
}
