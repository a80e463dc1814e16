import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

/// The flow as the runtime calls it: idempotence, rejections, what it ignores.
@Suite("payment-letterer: handler")
struct LettererHandlerTests {
    @Test("a redelivered input produces nothing and changes no state, whatever it was")
    func redelivery() throws {
        let bench = LettererBench()
        let inputs: [any BusMessage] = [
            try Pay.salesOrder(8000), Pay.payment("p1", .card, 5000), Pay.invoice("FA-1", 5000),
            Pay.payment("p2", .card, 3000), Pay.creditNote("AV-1", 1000, refund: .storeCredit), Pay.invoice("FA-2", 3000),
        ]
        for (index, message) in inputs.enumerated() {
            try bench.send(message, id: "in-\(index)")
            let kept = bench.store.snapshot
            #expect(try bench.send(message, id: "in-\(index)").isEmpty, "\(type(of: message)) again")
            #expect(bench.store.snapshot == kept)
        }
        #expect(bench.lettering == ["FA-1 ← p1 5000 = 0", "FA-2 ← p2 3000 = 0"])
    }

    @Test("outputs come in a fixed order: receipts, store credit, lettering, the site's view of invoices, exceptions")
    func outputOrder() throws {
        var rules = PaymentLettererRules.defaults
        rules.overpaymentWaitMinutes = 0
        let bench = LettererBench(rules)
        try bench.send(Pay.payment("p1", .card, 5200))
        try bench.send(Pay.payment("p2", .card, 100, currency: .usd))
        let outputs = try bench.send(Pay.salesOrder(5000))
        #expect(outputs.map(\.topic) == [Topics.erpReceipts, Topics.erpReceipts, Topics.exceptions])
        let more = try bench.send(Pay.invoice("FA-1", 5000))
        #expect(more.map(\.topic) == [Topics.erpLettering, Topics.shopAccountInvoices, Topics.erpLettering, Topics.exceptions],
                "the lettering, the invoice's status for the site, the refund proposed, then the overpayment")
        #expect(more[2].message is RefundProposal)
    }

    @Test("an overpayment that waited goes out from its timer in the same order: the refund proposed, then the exception")
    func outputOrderAfterTheWait() throws {
        let bench = LettererBench()
        try bench.send(Pay.salesOrder(5000))
        try bench.send(Pay.payment("p1", .card, 5200))
        #expect(try bench.send(Pay.invoice("FA-1", 5000)).map(\.topic) == [Topics.erpLettering, Topics.shopAccountInvoices])
        let before = bench.outputs.count
        try bench.wait(minutes: bench.pastTheOverpaymentWait)
        #expect(bench.outputs[before...].map(\.topic) == [Topics.erpLettering, Topics.exceptions])
        #expect(bench.outputs[before...].first?.message is RefundProposal)
    }

    @Test("other messages of the input topics say nothing about money and produce nothing")
    func ignored() throws {
        let bench = LettererBench()
        let cancellation = ERPSalesOrderCancellation(
            requestID: "req-1", externalReference: "WEB-1", reason: .customerRequest,
            lines: [OrderLineQuantity(lineNumber: 1, sku: "SKU-1", quantity: Quantity(1))], requestedAt: Pay.start)
        #expect(try bench.send(cancellation, key: "WEB-1").isEmpty)
        #expect(bench.store.count == 0)
    }

    @Test("defence in depth: a card number in a copied payment field is refused, naming the field, never the number", arguments: [
        ("$.provider_reference", Pay.payment("p1", .card, 100, reference: "4111111111111111")),
        ("$.provider_reference", Pay.payment("p1", .card, 100, reference: "ch_4111-1111-1111-1111")),
        ("$.payment_id", Pay.payment("5555555555554444", .card, 100)),
    ])
    func cardNumber(_ field: String, _ payment: SitePayment) throws {
        let bench = LettererBench()
        try bench.send(Pay.salesOrder(100))
        let error = try #require(throws: FlowRejection.self) { try bench.send(payment) }
        #expect(error.field == field)
        #expect(!error.description.contains("1111") && !error.description.contains("4444"))
        #expect(bench.receipts.isEmpty)
    }
}
