import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

/// "Store credit issued without refund gets a unique code sent to the customer; its balance is
/// tracked across partial spends (a spend is a payment with that code), expiry enforced; a
/// spend beyond the balance or after expiry is refused with a reason to the site."
@Suite("payment-letterer: store credit balances")
struct CreditBalanceRuleTests {
    /// 15.00 of store credit issued on WEB-1 on day 0 (valid 365 days), then spends on other orders.
    static func issued() throws -> (LettererBench, CreditCode) {
        let bench = LettererBench()
        try bench.send(Pay.creditNote("AV-1", 1500, refund: .storeCredit))
        try bench.deliverForwarded()
        let code = try #require(bench.storeCredits.first?.code)
        return (bench, code)
    }

    /// One spend: (order, cents, day, currency).
    struct Spend: Sendable, CustomStringConvertible {
        var cents: Int64
        var day = 0
        var currency: Currency = .eur
        var description: String { "\(cents) \(currency.code) on day \(day)" }
    }

    @Test("each spend is decided against what is left, in arrival order", arguments: [
        ([Spend(cents: 1000)], ["accepted"], [500]),
        ([Spend(cents: 1000), Spend(cents: 500)], ["accepted", "accepted"], [500, 0]),
        ([Spend(cents: 1000), Spend(cents: 600)], ["accepted", "refused insufficient_balance"], [500, 500]),
        ([Spend(cents: 1600)], ["refused insufficient_balance"], [1500]),
        ([Spend(cents: 1500, day: 365)], ["accepted"], [0]),
        ([Spend(cents: 500, day: 366)], ["refused expired"], [1500]),
        ([Spend(cents: 500, currency: .usd)], ["refused currency_mismatch"], [1500]),
        ([Spend(cents: 1600), Spend(cents: 1500)], ["refused insufficient_balance", "accepted"], [1500, 0]),
    ] as [([Spend], [String], [Int64])])
    func spends(_ spends: [Spend], _ outcomes: [String], _ balances: [Int64]) throws {
        let (bench, code) = try Self.issued()
        for (index, spend) in spends.enumerated() {
            let order = "WEB-\(index + 10)"
            try bench.send(Pay.payment("sp\(index)", order: order, .creditNote, spend.cents, reference: code.rawValue,
                                       currency: spend.currency, at: spend.day * 86_400))
            try bench.deliverForwarded()
            // The account (and so the receipt) comes with the sales order, here after the decision.
            try bench.send(Pay.salesOrder(order: order, spend.cents))
        }
        let said = bench.decisions.map { [$0.outcome.rawValue, $0.refusal?.rawValue].compactMap { $0 }.joined(separator: " ") }
        #expect(said == outcomes)
        #expect(bench.decisions.map(\.balance.amount) == balances)
        #expect(bench.decisions.map(\.orderNumber.rawValue) == spends.indices.map { "WEB-\($0 + 10)" }, "each decision is keyed by the order paid")
        for decision in bench.decisions { #expect(Pay.codec.problems(StoreCreditDecision.self, in: Pay.codec.encode(decision)).isEmpty) }

        // Only accepted spends reach the ERP, in the store credit journal; a refused one never.
        let accepted = bench.decisions.filter { $0.outcome == .accepted }.map(\.paymentID)
        let posted = bench.receipts.filter { $0.method == .creditNote }
        #expect(posted.map(\.paymentID) == accepted)
        #expect(posted.allSatisfy { $0.journal == "OD-STORECREDIT" && $0.providerReference == code.rawValue })
    }

    @Test("a spend of a code nobody issued is refused unknown_code, and not posted")
    func unknownCode() throws {
        let bench = LettererBench()
        try bench.send(Pay.salesOrder(order: "WEB-20", 1000))
        try bench.send(Pay.payment("sp1", order: "WEB-20", .creditNote, 1000, reference: "SC-BCDF-GHJK-LMNP"))
        try bench.deliverForwarded()
        #expect(bench.decisions.map(\.refusal) == [.unknownCode])
        #expect(bench.receipts.isEmpty)
        #expect(bench.account("WEB-20")?.isSettled == false, "the order still waits for a payment")
    }

    @Test("an accepted spend is lettered like any payment; a refused one leaves the invoice open")
    func lettering() throws {
        let (bench, code) = try Self.issued()
        try bench.send(Pay.salesOrder(order: "WEB-31", 1000))
        try bench.send(Pay.payment("sp1", order: "WEB-31", .creditNote, 1000, reference: code.rawValue, at: 1))
        try bench.send(Pay.invoice("FA-31", order: "WEB-31", 1000, at: 2))
        try bench.deliverForwarded()
        try bench.send(Pay.salesOrder(order: "WEB-30", 2500))
        try bench.send(Pay.payment("sp2", order: "WEB-30", .creditNote, 1000, reference: code.rawValue, at: 3))
        try bench.send(Pay.payment("cb1", order: "WEB-30", .card, 1500, at: 4))
        try bench.send(Pay.invoice("FA-30", order: "WEB-30", 2500, at: 5))
        try bench.deliverForwarded()
        #expect(bench.decisions.map(\.outcome) == [.accepted, .refused])
        #expect(bench.lettering == ["FA-31 ← sp1 1000 = 0", "FA-30 ← cb1 1500 = 1000"])
        #expect(bench.account("WEB-31")?.isSettled == true)
        #expect(bench.account("WEB-30")?.isSettled == false, "the refused 10.00 is still owed")
    }

    @Test("a redelivered spend or decision changes nothing and sends nothing")
    func idempotent() throws {
        let (bench, code) = try Self.issued()
        try bench.send(Pay.salesOrder(order: "WEB-40", 1000))
        try bench.send(Pay.payment("sp1", order: "WEB-40", .creditNote, 1000, reference: code.rawValue))
        try bench.deliverForwarded()
        let spend = StoreCreditSpend(code: code, orderNumber: "WEB-40", paymentID: "sp1", amount: Pay.euros(1000), requestedAt: Pay.at(0))
        #expect(try bench.send(spend, key: code.rawValue).isEmpty)
        let decision = try #require(bench.decisions.first)
        #expect(try bench.send(decision, key: "WEB-40").isEmpty)
        #expect(try bench.send(Pay.payment("sp1", order: "WEB-40", .creditNote, 1000, reference: code.rawValue)).isEmpty)
        #expect(bench.receipts.filter { $0.paymentID == "sp1" }.count == 1)
    }

    @Test("a balance is kept while it can be spent, and forgotten after the retention once spent or expired", arguments: [
        (Int64(1500), true), (Int64(500), false),
    ])
    func balanceRetention(_ spent: Int64, _ forgottenSoon: Bool) throws {
        let (bench, code) = try Self.issued()
        try bench.send(Pay.salesOrder(order: "WEB-50", spent))
        try bench.send(Pay.payment("sp1", order: "WEB-50", .creditNote, spent, reference: code.rawValue, at: 10))
        try bench.deliverForwarded()
        let value = try #require(bench.store[CreditRoute.stateKey(of: code)])
        let expiry = try #require(value.expiry(PaymentLettererRules.defaults.retention))
        #expect((expiry == Pay.at(10).adding(days: 90)) == forgottenSoon)
        #expect(expiry > Pay.at(0).adding(days: 365) || forgottenSoon, "an unspent balance outlives its last day")
    }

    @Test("codes are letters only: a code never looks like a card number, and one credit note always gives the same code")
    func codeForm() throws {
        var seen = Set<String>()
        for number in 1...2_000 {
            let code = OrderAccount.storeCreditCode(of: CreditNoteNumber("AV-\(number)"))
            #expect(code.isWellFormed && code.kind == .storeCredit)
            #expect(!CardNumberDetector.containsCardNumber(code.rawValue))
            #expect(!code.rawValue.contains { $0.isNumber })
            seen.insert(code.rawValue)
        }
        #expect(seen.count == 2_000, "no two credit notes share a code")
        #expect(OrderAccount.storeCreditCode(of: "AV-1") == OrderAccount.storeCreditCode(of: "AV-1"))
        let payment = Pay.payment("sp1", .creditNote, 100, reference: OrderAccount.storeCreditCode(of: "AV-1").rawValue)
        #expect(Pay.codec.problems(SitePayment.self, in: Pay.codec.encode(payment)).isEmpty, "the card screen passes a spend")
    }
}
