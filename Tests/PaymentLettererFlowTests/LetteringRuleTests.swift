import BusSchema
import BusTestKit
import Foundation
import PaymentLettererFlow
import Testing

/// Lettering: invoices against captures, credit notes refunded to the original payment
/// against refunds, each debt served in arrival order from the oldest money left.
@Suite("payment-letterer: lettering")
struct LetteringRuleTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var sentence: String
        var steps: [Step]
        /// Every entry sent, in order ("FA-1 ← p1 3000 = 2050": remainder after "=").
        var entries: [String]
        var testDescription: String { sentence }
    }

    static let scenarios: [Scenario] = [
        Scenario(sentence: "a card payment and its invoice letter fully",
                 steps: [.order(revision: 1, 5050), .pay("p1", .card, 5050), .invoice("FA-1", 5050)],
                 entries: ["FA-1 ← p1 5050 = 0"]),
        Scenario(sentence: "the payment may come after the invoice",
                 steps: [.invoice("FA-1", 5050), .pay("p1", .card, 5050)],
                 entries: ["FA-1 ← p1 5050 = 0"]),
        Scenario(sentence: "split payment: card, gift card and voucher letter one invoice together",
                 steps: [.pay("p1", .card, 3000), .pay("p2", .giftCard, 1500), .pay("p3", .voucher, 550), .invoice("FA-1", 5050)],
                 entries: ["FA-1 ← p1 3000, p2 1500, p3 550 = 0"]),
        Scenario(sentence: "split payment around the invoice: the invoice's lettering grows, each entry whole",
                 steps: [.pay("p1", .card, 3000), .invoice("FA-1", 5050), .pay("p2", .giftCard, 2050)],
                 entries: ["FA-1 ← p1 3000 = 2050", "FA-1 ← p1 3000, p2 2050 = 0"]),
        Scenario(sentence: "partial: an invoice larger than the payments keeps the rest open on the invoice",
                 steps: [.pay("p1", .card, 2000), .invoice("FA-1", 5050)],
                 entries: ["FA-1 ← p1 2000 = 3050"]),
        Scenario(sentence: "partial: a payment larger than the invoice keeps its rest open on the payment",
                 steps: [.order(revision: 1, 8000), .pay("p1", .card, 8000), .invoice("FA-1", 5000)],
                 entries: ["FA-1 ← p1 5000 = 0"]),
        Scenario(sentence: "partial invoices: one payment over two partial shipments",
                 steps: [.order(revision: 1, 8000), .pay("p1", .card, 8000), .invoice("FA-1", 5000), .invoice("FA-2", 3000)],
                 entries: ["FA-1 ← p1 5000 = 0", "FA-2 ← p1 3000 = 0"]),
        Scenario(sentence: "partial invoices before the payment: one payment letters both",
                 steps: [.invoice("FA-1", 5000), .invoice("FA-2", 3000), .pay("p1", .card, 8000)],
                 entries: ["FA-1 ← p1 5000 = 0", "FA-2 ← p1 3000 = 0"]),
        Scenario(sentence: "the second invoice takes the first payment's rest, then the next payment",
                 steps: [.pay("p1", .card, 6000), .pay("p2", .voucher, 2000), .invoice("FA-1", 5000), .invoice("FA-2", 3000)],
                 entries: ["FA-1 ← p1 5000 = 0", "FA-2 ← p1 1000, p2 2000 = 0"]),
        Scenario(sentence: "a credit note refunded to the card is lettered against the site's refund",
                 steps: [.pay("p1", .card, 5050), .invoice("FA-1", 5050), .creditNote("AV-1", 1990, .originalPayment), .refund("r1", 1990)],
                 entries: ["FA-1 ← p1 5050 = 0", "AV-1 ⇄ r1 1990 = 0"]),
        Scenario(sentence: "the refund may come before its credit note",
                 steps: [.pay("p1", .card, 5050), .invoice("FA-1", 5050), .refund("r1", 1990), .creditNote("AV-1", 1990, .originalPayment)],
                 entries: ["FA-1 ← p1 5050 = 0", "AV-1 ⇄ r1 1990 = 0"]),
        Scenario(sentence: "a partial refund leaves the rest still owed to the customer (negative remainder)",
                 steps: [.creditNote("AV-1", 1990, .originalPayment), .refund("r1", 1000)],
                 entries: ["AV-1 ⇄ r1 1000 = -990"]),
        Scenario(sentence: "a credit note given as store credit is not lettered against refunds",
                 steps: [.pay("p1", .card, 5050), .invoice("FA-1", 5050), .creditNote("AV-1", 1500, .storeCredit), .refund("r1", 1500)],
                 entries: ["FA-1 ← p1 5050 = 0"]),
        Scenario(sentence: "payments and refunds without any document letter nothing",
                 steps: [.pay("p1", .card, 5050), .refund("r1", 5050)],
                 entries: []),
        Scenario(sentence: "a zero invoice has nothing to letter",
                 steps: [.pay("p1", .card, 100), .invoice("FA-0", 0), .invoice("FA-1", 100)],
                 entries: ["FA-1 ← p1 100 = 0"]),
    ]

    @Test("lettering", arguments: scenarios)
    func lettering(_ scenario: Scenario) throws {
        let bench = LettererBench()
        try bench.play(scenario.steps)
        #expect(bench.lettering == scenario.entries)
        for entry in bench.entries {
            #expect(entry.validate().isEmpty, "\(LettererBench.line(entry)) is a valid lettering entry")
            #expect(Pay.codec.problems(LetteringEntry.self, in: Pay.codec.encode(entry)).isEmpty, "and passes its schema")
        }
        #expect(bench.exceptions.isEmpty)
    }

    @Test("each entry is the whole lettering of its document so far, with an id that grows with it")
    func entryShape() throws {
        let bench = LettererBench()
        try bench.play([.pay("p1", .card, 3000), .invoice("FA-1", 5050), .pay("p2", .giftCard, 2050)])
        let entries = bench.entries
        #expect(entries.map(\.letteringID.rawValue) == ["let-WEB-1-FA-1-1", "let-WEB-1-FA-1-2"])
        #expect(entries.map(\.status) == [.partiallyLettered, .fullyLettered])
        let last = try #require(entries.last)
        #expect(last.invoices == [LetteredInvoice(invoiceNumber: "FA-1", amount: Pay.euros(5050))])
        #expect(last.payments.map(\.receiptID.rawValue) == ["rcpt-p1", "rcpt-p2"], "payments name the receipts that booked them")
        #expect(last.accountCode == "C000001")
        #expect(last.letteredAt == Pay.at(2), "the time of the latest fact, never the clock")
    }
}

/// The allocation rule over plain amounts.
@Suite("payment-letterer: allocation")
struct AllocationTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var sentence: String
        var debts: [Int64]
        var credits: [Int64]
        /// Per debt, "credit:amount" pieces.
        var pieces: [String]
        var testDescription: String { sentence }
    }

    static let rows: [Row] = [
        Row(sentence: "one credit covers one debt exactly", debts: [5050], credits: [5050], pieces: ["0:5050"]),
        Row(sentence: "several credits cover one debt in arrival order", debts: [5050], credits: [3000, 1500, 550], pieces: ["0:3000 1:1500 2:550"]),
        Row(sentence: "one credit covers several debts in arrival order", debts: [5000, 3000], credits: [8000], pieces: ["0:5000", "0:3000"]),
        Row(sentence: "a debt larger than the credits keeps the rest", debts: [5050], credits: [2000], pieces: ["0:2000"]),
        Row(sentence: "a credit larger than the debts keeps the rest", debts: [5000], credits: [8000], pieces: ["0:5000"]),
        Row(sentence: "the next debt starts from the rest of the credit the last one used", debts: [5000, 3000], credits: [6000, 2000], pieces: ["0:5000", "0:1000 1:2000"]),
        Row(sentence: "no credits, nothing given", debts: [100, 200], credits: [], pieces: ["", ""]),
        Row(sentence: "zero or negative amounts give and take nothing", debts: [0, 100, -5], credits: [0, -3, 100], pieces: ["", "2:100", ""]),
    ]

    @Test("allocation", arguments: rows)
    func allocation(_ row: Row) {
        let result = Allocation.allocate(debts: row.debts, credits: row.credits)
        #expect(result.map { $0.map { "\($0.credit):\($0.amount)" }.joined(separator: " ") } == row.pieces)
    }

    @Test("appending debts or credits only adds pieces: earlier lettering stays a prefix", arguments: 0..<200)
    func monotone(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let debts = (0..<Int.random(in: 1...5, using: &rng)).map { _ in Int64.random(in: 1...9000, using: &rng) }
        let credits = (0..<Int.random(in: 1...5, using: &rng)).map { _ in Int64.random(in: 1...9000, using: &rng) }
        var previous: [[Allocation.Piece]] = []
        var takenDebts = 0
        var takenCredits = 0
        while takenDebts < debts.count || takenCredits < credits.count {
            if takenCredits < credits.count, takenDebts == debts.count || Bool.random(using: &rng) { takenCredits += 1 } else { takenDebts += 1 }
            let now = Allocation.allocate(debts: Array(debts.prefix(takenDebts)), credits: Array(credits.prefix(takenCredits)))
            for (index, pieces) in previous.enumerated() {
                #expect(Array(now[index].prefix(pieces.count)) == pieces, "a debt's earlier pieces are kept as they were")
            }
            previous = now
        }
        let final = Allocation.allocate(debts: debts, credits: credits)
        let given = final.joined().reduce(into: [Int: Int64]()) { $0[$1.credit, default: 0] += $1.amount }
        #expect(given.allSatisfy { $0.value <= credits[$0.key] }, "no credit gives more than it has")
        #expect(zip(final, debts).allSatisfy { pieces, debt in pieces.reduce(0) { $0 + $1.amount } <= debt }, "no debt gets more than it owes")
        #expect(final.joined().reduce(0) { $0 + $1.amount } == min(debts.reduce(0, +), credits.reduce(0, +)), "as much as possible is lettered")
    }
}
