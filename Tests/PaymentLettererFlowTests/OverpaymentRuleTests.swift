import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

/// Overpayment: once the order is fully invoiced (its invoices reach the sales order's total),
/// money paid and not lettered, less refunds not lettered, beyond the tolerance is an exception.
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
        try bench.play([.order(revision: 1, 5000), .pay("p1", .card, 5200), .invoice("FA-1", 5000)])
        try bench.send(Pay.salesOrder(5000, revision: 2))
        #expect(bench.exceptions.count == 1)
        try bench.send(Pay.payment("p2", .voucher, 100))
        #expect(bench.exceptions.compactMap { $0.details["excess"] } == ["2.00 EUR", "3.00 EUR"], "a larger excess is new")
        #expect(Set(bench.exceptions.map(\.exceptionID)).count == 2)
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
