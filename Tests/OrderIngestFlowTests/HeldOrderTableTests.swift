import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// A held order is judged again when what it waited for is published on a table: the
/// customer's link, a catalogue entry. The payment case is `OrderPlacementTests`' (a payment
/// advances an order awaiting it).
@Suite("order-ingest: held orders judged again when a table publishes what they wait for")
struct HeldOrderTableTests {
    static let mug = Shop.line(1, "MUG", "2", 699, "20")
    static let newLink = Shop.link("acc-new", "C000900")
    static let ghost = Shop.entry("GHOST", 500, "20")
    static let jacket = Shop.entry("JACKET", 5900, "20", variants: ["JACKET-M"])

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var order: SiteOrder
        var held: [AcceptanceReasonCode]
        /// What is published, in order: (message, table, key).
        var published: [(any BusMessage & Sendable, String, String)]
        var sent: Bool
        var stillHeld: [AcceptanceReasonCode]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a new customer's first order: held unknown_customer, sent when the link is published",
             order: Shop.order("WEB-1", lines: [mug], account: "acc-new"), held: [.unknownCustomer],
             published: [(newLink, Topics.customerIdentity, "acc-new")], sent: true, stillHeld: []),
        Case(name: "an unknown SKU: sent when its catalogue entry is published",
             order: Shop.order("WEB-1", lines: [Shop.line(1, "GHOST", "1", 500, "20")]), held: [.unknownSku],
             published: [(ghost, Topics.shopCatalog, "GHOST")], sent: true, stillHeld: []),
        Case(name: "an unknown variant: sent when its article's entry is published (keyed by the article's SKU)",
             order: Shop.order("WEB-1", lines: [Shop.line(1, "JACKET-M", "1", 5900, "20")]), held: [.unknownSku],
             published: [(jacket, Topics.shopCatalog, "JACKET")], sent: true, stillHeld: []),
        Case(name: "another customer's link frees nothing",
             order: Shop.order("WEB-1", lines: [mug], account: "acc-new"), held: [.unknownCustomer],
             published: [(Shop.link("acc-other", "C000901"), Topics.customerIdentity, "acc-other")], sent: false, stillHeld: [.unknownCustomer]),
        Case(name: "a link published unlinked frees nothing",
             order: Shop.order("WEB-1", lines: [mug], account: "acc-new"), held: [.unknownCustomer],
             published: [(Shop.link("acc-new", "C000900", status: .unlinked), Topics.customerIdentity, "acc-new")], sent: false, stillHeld: [.unknownCustomer]),
        Case(name: "customer and SKU both unknown: the link leaves the SKU's reason; the entry then sends it",
             order: Shop.order("WEB-1", lines: [Shop.line(1, "GHOST", "1", 500, "20")], account: "acc-new"), held: [.unknownCustomer, .unknownSku],
             published: [(newLink, Topics.customerIdentity, "acc-new"), (ghost, Topics.shopCatalog, "GHOST")], sent: true, stillHeld: []),
        Case(name: "held for an address: no table frees it",
             order: Shop.order("WEB-1", lines: [mug], account: "acc-new",
                               delivery: PostalAddress(recipientName: "C. M.", lines: ["1 rue"], city: "Paris", country: Shop.france)),
             held: [.unknownCustomer, .invalidAddress],
             published: [(newLink, Topics.customerIdentity, "acc-new")], sent: false, stillHeld: [.invalidAddress]),
    ]

    @Test("a held order is judged again when…", arguments: cases)
    func judgedAgain(_ c: Case) throws {
        let bench = OrderBench()
        let placed = try bench.place(c.order)
        #expect(placed.messages(OrderAcceptance.self).flatMap(\.reasons).map(\.code) == c.held)
        var outputs: [FlowOutput] = []
        for (message, table, key) in c.published { outputs += try bench.publish(message, in: table, key: key) }
        let sent = outputs.messages(ERPSalesOrder.self)
        #expect(sent.count == (c.sent ? 1 : 0))
        if c.sent {
            #expect(sent.first?.revision == 1)
            #expect(outputs.messages(OrderAcceptance.self).last?.status == .accepted)
            #expect(bench.record("WEB-1")?.stage == .sent)
            #expect(bench.store[TableWaits.stateKey] == nil, "nothing waits any more: the index is gone")
        } else {
            #expect(bench.record("WEB-1")?.stage == .held)
            #expect(bench.record("WEB-1")?.heldReasons.map(\.code) == c.stillHeld)
        }
        // The same record read again (a restart, another instance) sends nothing more.
        if let (message, table, key) = c.published.last {
            #expect(try bench.publish(message, in: table, key: key).messages(ERPSalesOrder.self).isEmpty)
        }
    }

    @Test("the index names the held orders of the partition by what they wait for, and forgets a cancelled one")
    func index() throws {
        let bench = OrderBench()
        try bench.place(Shop.order("WEB-1", lines: [Shop.line(1, "GHOST", "1", 500, "20")], account: "acc-new"))
        try bench.place(Shop.order("WEB-2", lines: [Self.mug], account: "acc-new"))
        guard case .tableWaits(let waits)? = bench.store[TableWaits.stateKey] else { Issue.record("no index"); return }
        #expect(waits.waiting(for: [TableWaits.customer("acc-new")]) == ["WEB-1", "WEB-2"])
        #expect(waits.waiting(for: [TableWaits.sku("GHOST")]) == ["WEB-1"])
        try bench.handle(CancellationRequest(requestID: "cancel-1", orderNumber: "WEB-1", requestedAt: Shop.at(minutes: 601),
                                             requestedBy: .customer, reason: .customerRequest, lines: []), key: "WEB-1")
        guard case .tableWaits(let after)? = bench.store[TableWaits.stateKey] else { Issue.record("no index"); return }
        #expect(after.orders == [TableWaits.customer("acc-new"): ["WEB-2"]])
        let outputs = try bench.publish(Self.newLink, in: Topics.customerIdentity, key: "acc-new")
        #expect(outputs.messages(ERPSalesOrder.self).map(\.externalReference) == ["WEB-2"], "the cancelled order stays cancelled")
    }
}
