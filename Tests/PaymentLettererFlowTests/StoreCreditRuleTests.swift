import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

/// Vouchers, gift cards and store credit: payment methods with a unique code.
@Suite("payment-letterer: gift cards and store credit")
struct StoreCreditRuleTests {
    @Test("gift card purchase then redemption: each order letters on its own, the redemption in the gift card journal")
    func giftCard() throws {
        let bench = LettererBench()
        // Order WEB-10 buys a 50.00 gift card by card.
        try bench.send(Pay.salesOrder(order: "WEB-10", 5000))
        try bench.send(Pay.payment("p10", order: "WEB-10", .card, 5000, at: 1))
        try bench.send(Pay.invoice("FA-10", order: "WEB-10", 5000, at: 2))
        // Order WEB-11 spends 30.00 of it, and pays the rest by card.
        try bench.send(Pay.salesOrder(order: "WEB-11", 5000))
        try bench.send(Pay.payment("p11", order: "WEB-11", .giftCard, 3000, reference: "GC-8F3K-2M9Q-0001", at: 3))
        try bench.send(Pay.payment("p12", order: "WEB-11", .card, 2000, at: 4))
        try bench.send(Pay.invoice("FA-11", order: "WEB-11", 5000, at: 5))

        #expect(bench.lettering == ["FA-10 ← p10 5000 = 0", "FA-11 ← p11 3000, p12 2000 = 0"])
        #expect(bench.receipts.map(\.journal) == ["BQ-CARD", "OD-GIFTCARD", "BQ-CARD"])
        #expect(bench.receipts.map(\.providerReference)[1] == "GC-8F3K-2M9Q-0001", "the gift card's code is the redemption's reference")
        #expect(bench.exceptions.isEmpty)
    }

    @Test("a credit note without refund issues a store credit code, spent later as payment on another order")
    func storeCredit() throws {
        let bench = LettererBench()
        try bench.send(Pay.payment("p1", .card, 5050))
        try bench.send(Pay.invoice("FA-1", 5050))
        let issued = try bench.send(Pay.creditNote("AV-1", 1500, refund: .storeCredit, at: 86_400 * 12))
        let credit = try #require(issued.first?.message as? StoreCreditIssued)
        #expect(issued.map(\.topic) == [Topics.erpLettering, CreditRoute.topic], "to the ERP, and to the code's balance")
        #expect(issued.map(\.key) == ["WEB-1", credit.code?.rawValue], "the balance is keyed by the code")
        #expect(credit.storeCreditID == "sc-AV-1", "the code the customer spends")
        #expect(credit.amount == Pay.euros(1500))
        #expect(credit.creditNoteNumber == "AV-1")
        #expect(credit.reason == .return)
        #expect(credit.expiresOn == LocalDate(year: 2025, month: 5, day: 15), "valid 365 days from the credit note")
        #expect(credit.accountCode == "C000001")
        #expect(Pay.codec.problems(StoreCreditIssued.self, in: Pay.codec.encode(credit)).isEmpty)

        try bench.send(Pay.payment("p2", order: "WEB-2", .creditNote, 1500, reference: "sc-AV-1"))
        try bench.send(Pay.payment("p3", order: "WEB-2", .card, 3500))
        try bench.send(Pay.invoice("FA-2", order: "WEB-2", 5000))
        #expect(bench.lettering.last == "FA-2 ← p2 1500, p3 3500 = 0")
        #expect(bench.receipts.first { $0.paymentID == "p2" }?.journal == "OD-STORECREDIT")

        #expect(try bench.send(Pay.creditNote("AV-1", 1500, refund: .storeCredit)).isEmpty, "a repeated credit note issues nothing more")
    }

    @Test("the store credit's reason follows the credit note's", arguments: [
        (CreditReason.return, StoreCreditReason.return), (.cancellation, .return), (.priceAdjustment, .goodwill), (.goodwill, .goodwill),
    ])
    func reason(_ credit: CreditReason, _ expected: StoreCreditReason) throws {
        let bench = LettererBench()
        try bench.send(Pay.creditNote("AV-1", 1500, refund: .storeCredit, reason: credit))
        #expect(bench.storeCredits.map(\.reason) == [expected])
    }

    @Test("store credit expires after the configured days; 0 means never", arguments: [(365, "2025-05-03"), (30, "2024-06-02"), (0, nil)] as [(Int, String?)])
    func expiry(_ days: Int, _ expected: String?) throws {
        var rules = PaymentLettererRules.defaults
        rules.storeCreditValidityDays = days
        let day = try #require(LocalDate("2024-05-03"))
        #expect(rules.storeCreditExpiry(issuedOn: day)?.description == expected)
    }
}
