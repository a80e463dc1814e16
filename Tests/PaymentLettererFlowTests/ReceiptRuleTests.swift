import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

/// Receipts: every payment is posted once, at once when the order's ERP account is known.
@Suite("payment-letterer: receipts")
struct ReceiptRuleTests {
    @Test("a payment before its invoice is posted at once on the buyer's account, as an unapplied receipt")
    func postedAtOnce() throws {
        let bench = LettererBench()
        try bench.send(Pay.salesOrder(5050, account: "C000042"))
        let outputs = try bench.send(Pay.payment("pay_7Hq2LmX9", .card, 5050, reference: "pi_3PbQx2", provider: "stripe"))
        let receipt = try #require(outputs.first?.message as? Receipt)
        #expect(outputs.count == 1)
        #expect(outputs.first?.topic == Topics.erpReceipts)
        #expect(outputs.first?.key == "WEB-1")
        #expect(receipt.receiptID == "rcpt-pay_7Hq2LmX9")
        #expect(receipt.paymentID == "pay_7Hq2LmX9")
        #expect(receipt.accountCode == "C000042")
        #expect(receipt.kind == .capture)
        #expect(receipt.method == .card)
        #expect(receipt.amount == Pay.euros(5050))
        #expect(receipt.providerReference == "pi_3PbQx2")
        #expect(receipt.orderNumber == "WEB-1")
        #expect(receipt.receivedAt == Pay.at(0))
        #expect(Pay.codec.problems(Receipt.self, in: Pay.codec.encode(receipt)).isEmpty)
        #expect(bench.entries.isEmpty, "nothing to letter yet")
    }

    @Test("a payment before anything names the account waits, and is posted with the first document that does")
    func waitsForTheAccount() throws {
        let bench = LettererBench()
        #expect(try bench.send(Pay.payment("p1", .card, 5050)).isEmpty)
        let outputs = try bench.send(Pay.invoice("FA-1", 5050, account: "C000077"))
        #expect(outputs.map(\.topic) == [Topics.erpReceipts, Topics.erpLettering, Topics.shopAccountInvoices],
                "the receipt first, then the lettering that names it, then the invoice's status for the site")
        #expect(bench.receipts.map(\.accountCode) == ["C000077"])
    }

    struct JournalRow: Sendable, CustomTestStringConvertible {
        var method: PaymentMethod
        var provider: Code?
        var journal: Code
        var testDescription: String { "\(method.rawValue)\(provider.map { " via \($0)" } ?? "") is booked in \(journal)" }
    }

    static let stripeRules: PaymentLettererRules = {
        var rules = PaymentLettererRules.defaults
        rules.journals["card/stripe"] = "BQ-STRIPE"
        return rules
    }()

    @Test("each method and provider has its journal; the most specific entry wins", arguments: [
        JournalRow(method: .card, provider: "stripe", journal: "BQ-STRIPE"),
        JournalRow(method: .card, provider: "adyen", journal: "BQ-CARD"),
        JournalRow(method: .card, provider: nil, journal: "BQ-CARD"),
        JournalRow(method: .paypal, provider: "paypal", journal: "BQ-PAYPAL"),
        JournalRow(method: .bankTransfer, provider: nil, journal: "BQ-BANK"),
        JournalRow(method: .voucher, provider: nil, journal: "OD-VOUCHER"),
        JournalRow(method: .giftCard, provider: nil, journal: "OD-GIFTCARD"),
        JournalRow(method: .creditNote, provider: nil, journal: "OD-STORECREDIT"),
    ])
    func journals(_ row: JournalRow) throws {
        let bench = LettererBench(Self.stripeRules)
        try bench.send(Pay.salesOrder(5050))
        try bench.send(Pay.payment("p1", row.method, 5050, provider: row.provider))
        #expect(bench.receipts.map(\.journal) == [row.journal])
    }

    @Test("a method with no journal entry goes to the default journal")
    func defaultJournal() {
        let rules = PaymentLettererRules(journals: [:], defaultJournal: "BQ-WEB", overpaymentTolerance: ExactDecimal(0), storeCreditValidityDays: 0)
        #expect(rules.journal(for: .paypal, provider: "paypal") == "BQ-WEB")
    }

    struct RepeatRow: Sendable, CustomTestStringConvertible {
        var sentence: String
        var second: SitePayment
        var receipts: Int
        var exceptions: Int
        var testDescription: String { sentence }
    }

    @Test("the same payment twice posts one receipt", arguments: [
        RepeatRow(sentence: "the same payment id and content again: a repeat", second: Pay.payment("p1", .card, 5050, reference: "pi_1"), receipts: 1, exceptions: 0),
        RepeatRow(sentence: "the same provider reference under another payment id: a repeat", second: Pay.payment("p2", .card, 5050, reference: "pi_1"), receipts: 1, exceptions: 0),
        RepeatRow(sentence: "the same payment id with another amount: a conflict for a person", second: Pay.payment("p1", .card, 6000, reference: "pi_1"), receipts: 1, exceptions: 1),
        RepeatRow(sentence: "the same provider reference with another amount: a conflict for a person", second: Pay.payment("p2", .card, 6000, reference: "pi_1"), receipts: 1, exceptions: 1),
        RepeatRow(sentence: "a refund may reuse its capture's reference: it is another movement", second: Pay.payment("r1", .card, 5050, kind: .refund, reference: "pi_1"), receipts: 2, exceptions: 0),
        RepeatRow(sentence: "another reference is another payment", second: Pay.payment("p2", .card, 5050, reference: "pi_2"), receipts: 2, exceptions: 0),
    ])
    func idempotentByReference(_ row: RepeatRow) throws {
        let bench = LettererBench()
        try bench.send(Pay.salesOrder(10100))
        try bench.send(Pay.payment("p1", .card, 5050, reference: "pi_1"))
        try bench.send(row.second)
        try bench.send(row.second)
        #expect(bench.receipts.count == row.receipts)
        #expect(bench.exceptions.count == row.exceptions, "a conflict is reported once, however often it comes")
        #expect(Set(bench.receipts.map(\.receiptID)).count == bench.receipts.count, "no receipt id twice")
        if row.exceptions > 0 {
            let exception = try #require(bench.exceptions.first)
            #expect(exception.kind == .paymentMismatch)
            #expect(exception.entity == EntityReference(kind: .order, key: "WEB-1"))
            #expect(!exception.reason.contains("6000") && !exception.reason.contains("60.00"), "no amounts in the sentence")
        }
    }

    @Test("a refund is booked as a disbursement")
    func refund() throws {
        let bench = LettererBench()
        try bench.send(Pay.salesOrder(5050))
        try bench.send(Pay.payment("r1", .card, 1990, kind: .refund))
        #expect(bench.receipts.map(\.kind) == [.refund])
        #expect(bench.receipts.map(\.amount) == [Pay.euros(1990)])
    }
}
