import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

/// Gift cards sold as articles, orders cancelled before invoicing, overpayment after a partial
/// cancellation, and the site's view of an account's invoices.
@Suite("payment-letterer: money back")
struct MoneyBackRuleTests {
    /// A sales order of `order` whose only line is `sku`, `quantity` units for `cents` in all, at 0 %.
    static func salesOrder(order: String, sku: String, quantity: String, cents: Int64, revision: Int = 1) throws -> ERPSalesOrder {
        var salesOrder = try Pay.salesOrder(order: order, cents, revision: revision)
        salesOrder.lines[0].sku = SKU(sku)
        salesOrder.lines[0].quantity = try #require(Quantity(quantity))
        salesOrder.lines[0].totalInclTax = Pay.euros(cents)
        return salesOrder
    }

    // MARK: Gift cards

    @Test("a gift card sold as an article issues one code per unit once its order is paid in full", arguments: [
        ("GIFTCARD-50", "1", Int64(5000), [Int64(5000)], [Int64(5000)]),
        ("GIFTCARD-50", "2", 10000, [10000], [5000, 5000]),
        ("GIFTCARD-50", "2", 10000, [6000], []),
        ("GIFTCARD-50", "2", 10000, [6000, 4000], [5000, 5000]),
        ("GIFTCARD-50", "1.5", 7500, [7500], [7500]),
        ("MUG-BLUE", "1", 5000, [5000], []),
    ] as [(String, String, Int64, [Int64], [Int64])])
    func giftCards(_ sku: String, _ quantity: String, _ total: Int64, _ captures: [Int64], _ cards: [Int64]) throws {
        let bench = LettererBench()
        try bench.send(Self.salesOrder(order: "WEB-1", sku: sku, quantity: quantity, cents: total))
        for (index, cents) in captures.enumerated() { try bench.send(Pay.payment("p\(index)", .card, cents, at: index + 1)) }
        #expect(bench.giftCards.map(\.amount.amount) == cards)
        #expect(Set(bench.giftCards.map(\.code)).count == cards.count, "a code per card")
        for card in bench.giftCards {
            #expect(card.code.kind == .giftCard)
            #expect(card.issuedAt == Pay.at(captures.count), "dated by the capture that completed the payment")
            #expect(card.expiresOn == Pay.at(captures.count).utcDate.adding(days: 365))
            #expect(Pay.codec.problems(GiftCardIssued.self, in: Pay.codec.encode(card)).isEmpty)
        }
        #expect(try bench.send(Pay.payment("p0", .card, captures[0], at: 1)).isEmpty, "a repeat issues nothing more")
    }

    @Test("spending a gift card is a payment: its balance is shared across orders like store credit")
    func giftCardSpend() throws {
        let bench = LettererBench()
        try bench.send(Self.salesOrder(order: "WEB-1", sku: "GIFTCARD-50", quantity: "1", cents: 5000))
        try bench.send(Pay.payment("p1", .card, 5000))
        try bench.deliverForwarded()
        let code = try #require(bench.giftCards.first?.code)
        for (index, cents) in [Int64(3000), 2500, 2000].enumerated() {
            try bench.send(Pay.payment("g\(index)", order: "WEB-\(index + 2)", .giftCard, cents, reference: code.rawValue, at: 10 + index))
            try bench.deliverForwarded()
        }
        #expect(bench.decisions.map(\.outcome) == [.accepted, .refused, .accepted])
        #expect(bench.decisions.map(\.balance.amount) == [2000, 2000, 0])
    }

    // MARK: Cancelled before invoicing

    enum Event: Sendable, CustomStringConvertible {
        case capture(String, Int64), refund(String, Int64), cancel
        var description: String {
            switch self {
            case let .capture(id, cents): "capture \(id) \(cents)"
            case let .refund(id, cents): "refund \(id) \(cents)"
            case .cancel: "cancel"
            }
        }
    }

    @Test("an order cancelled before invoicing: its captures and refunds are lettered together, nothing left open, no exception", arguments: [
        ([Event.capture("p1", 5000), .cancel, .refund("r1", 5000)], ["p1 5000 ⇄ r1 5000"], true),
        ([Event.capture("p1", 5000), .refund("r1", 5000), .cancel], ["p1 5000 ⇄ r1 5000"], true),
        ([Event.cancel, .capture("p1", 5000), .refund("r1", 5000)], ["p1 5000 ⇄ r1 5000"], true),
        ([Event.capture("p1", 3000), .capture("p2", 2000), .cancel, .refund("r1", 5000)], ["p1 3000, p2 2000 ⇄ r1 5000"], true),
        ([Event.capture("p1", 5000), .cancel, .refund("r1", 2000), .refund("r2", 3000)], ["p1 2000 ⇄ r1 2000", "p1 5000 ⇄ r1 2000, r2 3000"], true),
        ([Event.capture("p1", 5000), .cancel, .refund("r1", 2000)], ["p1 2000 ⇄ r1 2000"], false),
        ([Event.capture("p1", 5000), .refund("r1", 5000)], [], false),
    ] as [([Event], [String], Bool)])
    func cancelledBeforeInvoicing(_ events: [Event], _ offsets: [String], _ settled: Bool) throws {
        let bench = LettererBench()
        try bench.send(Pay.salesOrder(5000))
        for (second, event) in events.enumerated() {
            switch event {
            case let .capture(id, cents): try bench.send(Pay.payment(id, .card, cents, at: second))
            case let .refund(id, cents): try bench.send(Pay.payment(id, .card, cents, kind: .refund, at: second))
            case .cancel: try bench.send(ERPSalesOrderCancellation(requestID: "cx1", externalReference: "WEB-1", reason: .customerRequest, lines: [], requestedAt: Pay.at(second)))
            }
        }
        let said = bench.offsets.map { offset in
            [offset.captures, offset.refunds].map { $0.map { "\($0.receiptID.rawValue.dropFirst(5)) \($0.amount.amount)" }.joined(separator: ", ") }.joined(separator: " ⇄ ")
        }
        #expect(said == offsets)
        for offset in bench.offsets { #expect(Pay.codec.problems(PaymentOffset.self, in: Pay.codec.encode(offset)).isEmpty) }
        #expect(bench.exceptions.isEmpty, "nobody is asked")
        #expect(bench.entries.isEmpty, "no invoice, no lettering entry")
        #expect(bench.account()?.isSettled == settled)
    }

    @Test("a cancellation naming lines is left to the next revision's total: no offset")
    func partialCancellation() throws {
        let bench = LettererBench()
        try bench.send(Pay.salesOrder(5000))
        try bench.send(Pay.payment("p1", .card, 5000))
        try bench.send(Pay.payment("r1", .card, 2000, kind: .refund, at: 1))
        let line = OrderLineQuantity(lineNumber: 1, sku: "MUG-BLUE", quantity: Quantity(1))
        #expect(try bench.send(ERPSalesOrderCancellation(requestID: "cx1", externalReference: "WEB-1", reason: .customerRequest, lines: [line], requestedAt: Pay.at(2))).isEmpty)
        #expect(bench.offsets.isEmpty)
    }

    // MARK: Overpayment after a partial cancellation

    @Test("captured in full, partly cancelled, invoiced for less: an overpayment exception and a refund proposed through the latest captures", arguments: [
        ([Int64(10000)], Int64(7000), Int64(3000), ["p0 3000"]),
        ([Int64(6000), 4000], 7000, 3000, ["p1 3000"]),
        ([Int64(6000), 4000], 4000, 6000, ["p1 4000", "p0 2000"]),
        ([Int64(10000)], 9996, 0, []),
    ] as [([Int64], Int64, Int64, [String])])
    func overpaymentAfterCancellation(_ captures: [Int64], _ invoiced: Int64, _ excess: Int64, _ refundTo: [String]) throws {
        let bench = LettererBench()
        let total = captures.reduce(0, +)
        try bench.send(Pay.salesOrder(total, revision: 1))
        for (index, cents) in captures.enumerated() { try bench.send(Pay.payment("p\(index)", .card, cents, at: index)) }
        try bench.send(Pay.salesOrder(invoiced, revision: 2))
        try bench.send(Pay.invoice("FA-1", invoiced, at: 10))
        try bench.wait(minutes: bench.pastTheOverpaymentWait)
        #expect(bench.exceptions.map(\.kind) == (excess > 0 ? [.overpayment] : []))
        let proposal = bench.proposals.first
        #expect(bench.proposals.count == (excess > 0 ? 1 : 0))
        #expect(proposal?.amount.amount == (excess > 0 ? excess : nil))
        #expect(proposal?.refundTo.map { "\($0.paymentID) \($0.amount.amount)" } ?? [] == refundTo)
        #expect(proposal?.invoicedTotal.amount == (excess > 0 ? invoiced : nil))
        if let proposal { #expect(Pay.codec.problems(RefundProposal.self, in: Pay.codec.encode(proposal)).isEmpty) }

        // The proposal is taken: the site refunds the excess to the card; the overpayment is gone.
        guard excess > 0 else { return }
        try bench.send(Pay.payment("rf", .card, excess, kind: .refund, at: 12))
        #expect(bench.exceptions.count == 1, "nothing more for a person")
        #expect(bench.account()?.isSettled == true)
        #expect(bench.proposals.count == 1, "proposed once")
    }

    // MARK: Open items

    @Test("each invoice's paid and open part and lettering status go to the site as they change", arguments: [
        ([Int64](), ["open 0/10000"]),
        ([4000], ["open 0/10000", "partially_lettered 4000/6000"]),
        ([4000, 6000], ["open 0/10000", "partially_lettered 4000/6000", "fully_lettered 10000/0"]),
        ([12000], ["open 0/10000", "fully_lettered 10000/0"]),
    ] as [([Int64], [String])])
    func openItems(_ captures: [Int64], _ pictures: [String]) throws {
        let bench = LettererBench()
        try bench.send(Pay.invoice("FA-1", 10000, account: "B2B-LUMIERE"))
        for (index, cents) in captures.enumerated() { try bench.send(Pay.payment("p\(index)", .bankTransfer, cents, at: index + 1)) }
        #expect(bench.accountInvoices.map { "\($0.status.rawValue) \($0.paid.amount)/\($0.open.amount)" } == pictures)
        #expect(bench.accountInvoices.allSatisfy { $0.accountCode == "B2B-LUMIERE" && $0.invoiceNumber == "FA-1" && $0.dueOn != nil })
        #expect(bench.outputs.filter { $0.topic == Topics.shopAccountInvoices }.allSatisfy { $0.key == "FA-1" })
        for item in bench.accountInvoices { #expect(Pay.codec.problems(AccountInvoice.self, in: Pay.codec.encode(item)).isEmpty) }
    }
}
