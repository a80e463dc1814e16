import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// Placement: one ERP order per site order in effect, held orders, guests, relay points,
/// payments and batched release.
@Suite("order-ingest: placement")
struct OrderPlacementTests {
    static let mug = Shop.line(1, "MUG", "2", 699, "20")

    @Test("a valid order becomes one ERP order, revision 1, and an accepted status for the site")
    func accepted() throws {
        let bench = OrderBench()
        let outputs = try bench.place(Shop.order("WEB-1", lines: [Self.mug], shipping: [Shop.shipping(490)]))
        #expect(outputs.map(\.topic) == [Topics.erpSalesOrders, Topics.orderAcceptance, Topics.stockClaims])
        #expect(outputs.filter { $0.topic != Topics.stockClaims }.allSatisfy { $0.key == "WEB-1" && $0.delivery == .immediate })
        let salesOrder = try #require(outputs.messages(ERPSalesOrder.self).first)
        #expect(salesOrder.revision == 1)
        #expect(salesOrder.soldTo == "C000001")
        #expect(salesOrder.totals.totalInclTax == Shop.money(1888))
        #expect(salesOrder.validate().isEmpty)
        #expect(outputs.messages(OrderAcceptance.self).map(\.status) == [.accepted])
        #expect(bench.record("WEB-1")?.stage == .sent)
    }

    @Test("an order sent to the ERP claims its quantities per SKU, keyed by SKU; the ERP's first status releases them, a later one does nothing")
    func stockClaims() throws {
        let bench = OrderBench()
        let book = Shop.line(2, "BOOK", "1", 399, "5.5")
        let again = Shop.line(3, "MUG", "3", 699, "20")
        let claims = try bench.place(Shop.order("WEB-1", lines: [Self.mug, book, again])).to(Topics.stockClaims)
        #expect(claims.map(\.key) == ["BOOK", "MUG"], "one claim per SKU, in SKU order")
        #expect(claims.messages(StockClaim.self).map(\.quantity) == [Quantity(1), Quantity(5)], "two lines of MUG: 2 + 3")
        #expect(claims.messages(StockClaim.self).allSatisfy { $0.orderNumber == "WEB-1" && $0.validate().isEmpty })
        let status = { (sequence: Int) in
            ERPOrderStatus(orderNumber: "WEB-1", erpOrderReference: "SO-1", status: .validated, sequence: sequence, statusAt: Shop.at(minutes: 900),
                           shipments: [], problems: [], documents: [])
        }
        let released = try bench.handle(status(1), key: "WEB-1").to(Topics.stockClaims)
        #expect(released.map(\.key) == ["BOOK", "MUG"])
        #expect(released.messages(StockClaim.self).allSatisfy { $0.quantity == .zero })
        #expect(try bench.handle(status(2), key: "WEB-1").to(Topics.stockClaims).isEmpty)
    }

    @Test("a redelivered or repeated placement creates nothing new")
    func repeated() throws {
        let bench = OrderBench()
        let order = Shop.order("WEB-1", lines: [Self.mug])
        let input = OrderBench.input(order, key: "WEB-1", id: "placement-1", at: order.placedAt)
        #expect(try bench.handle(input).count == 3)
        let kept = bench.store.snapshot
        #expect(try bench.handle(input).isEmpty, "redelivered")
        #expect(try bench.place(order).isEmpty, "placed again by the site")
        #expect(bench.store.snapshot == kept)
    }

    @Test("the same number with a different content is an exception; the first order stands")
    func differentContent() throws {
        let bench = OrderBench()
        try bench.place(Shop.order("WEB-1", lines: [Self.mug]))
        let outputs = try bench.place(Shop.order("WEB-1", lines: [Shop.line(1, "MUG", "3", 699, "20")]))
        #expect(outputs.map(\.topic) == [Topics.exceptions])
        let exception = try #require(outputs.messages(BusinessException.self).first)
        #expect(exception.entity == EntityReference(kind: .order, key: "WEB-1"))
        #expect(exception.worker == .orderIngest)
        #expect(exception.validate().isEmpty)
        #expect(bench.record("WEB-1")?.placed?.lines.first?.quantity == Quantity(2))
    }

    @Test("a failing order is held: a held status with every reason and one exception each, never an ERP order")
    func held() throws {
        let bench = OrderBench()
        var badLine = Shop.line(2, "TEE-M", "3", 1999, "20")
        badLine.totalInclTax = Shop.money(5996)
        let order = Shop.order("WEB-1", lines: [Shop.line(1, "GHOST", "1", 500, "20"), badLine], account: "acc-gone",
                               delivery: PostalAddress(recipientName: "C. M.", lines: ["1 rue"], city: "Paris", country: Shop.france))
        let outputs = try bench.place(order)
        #expect(outputs.to(Topics.erpSalesOrders).isEmpty)
        let acceptance = try #require(outputs.messages(OrderAcceptance.self).first)
        #expect(acceptance.status == .held)
        #expect(acceptance.reasons.map(\.code) == [.unknownCustomer, .unknownSku, .priceMismatch, .invalidAddress])
        #expect(acceptance.validate().isEmpty)
        let exceptions = outputs.messages(BusinessException.self)
        #expect(exceptions.map(\.kind) == [.unknownCustomer, .unknownSku, .priceMismatch, .other])
        #expect(exceptions.allSatisfy { !$0.reason.contains("Camille") && !$0.details.values.contains { $0.contains("camille") } }, "no personal data")
        #expect(Set(exceptions.map(\.exceptionID)).count == 4)
        #expect(try bench.place(order).isEmpty, "held again for the same reasons: nothing new")
    }

    @Test("a held order placed again once the identity table links its customer goes to the ERP")
    func heldThenReleased() throws {
        let bench = OrderBench()
        let order = Shop.order("WEB-1", lines: [Self.mug], account: "acc-new")
        #expect(try bench.place(order).messages(OrderAcceptance.self).map(\.status) == [.held])
        var tables = Shop.links.map { ($0.siteAccountID.rawValue, $0 as any BusMessage) }
        tables.append(("acc-new", Shop.link("acc-new", "C000900")))
        bench.tables = StaticTables([Topics.shopCatalog: Dictionary(uniqueKeysWithValues: Shop.catalogue.map { ($0.sku.rawValue, $0 as any BusMessage) }),
                                     Topics.customerIdentity: Dictionary(uniqueKeysWithValues: tables)])
        let outputs = try bench.place(order)
        #expect(outputs.messages(ERPSalesOrder.self).map(\.soldTo) == ["C000900"])
        #expect(outputs.messages(OrderAcceptance.self).map(\.status) == [.accepted])
    }

    @Test("a guest's order goes to the guest account with the order's addresses")
    func guest() throws {
        let bench = OrderBench()
        let billing = PostalAddress(recipientName: "Alex Dupont", lines: ["8 quai Voltaire"], postalCode: "69002", city: "Lyon", country: Shop.france)
        let salesOrder = try #require(try bench.place(Shop.order("WEB-1", lines: [Self.mug], account: nil, billing: billing)).messages(ERPSalesOrder.self).first)
        #expect(salesOrder.soldTo == "WEB-GUEST")
        #expect(salesOrder.contactID == nil)
        #expect(salesOrder.billTo == billing)
        #expect(salesOrder.shipTo.address == Shop.address)
    }

    @Test("a B2B order is sold to the company with its contact")
    func business() throws {
        let salesOrder = try #require(try OrderBench().place(Shop.order("WEB-1", lines: [Self.mug], account: "acc-b2b")).messages(ERPSalesOrder.self).first)
        #expect(salesOrder.soldTo == "C000777")
        #expect(salesOrder.contactID == "CT-12")
    }

    @Test("a relay point's address becomes the ship-to and its id is kept; shipping is its own line")
    func relayPoint() throws {
        let relay = PostalAddress(companyName: "Relais Tabac Presse", lines: ["3 avenue Parmentier"], postalCode: "75011", city: "Paris", country: Shop.france)
        let order = Shop.order("WEB-1", lines: [Self.mug], shipping: [Shop.shipping(490, method: "relay", carrier: "mondialrelay")],
                               relayPoint: "FR-75011-0042", delivery: relay)
        let salesOrder = try #require(try OrderBench().place(order).messages(ERPSalesOrder.self).first)
        #expect(salesOrder.shipTo == ShipTo(address: relay, shippingMethod: "relay", carrier: "mondialrelay", relayPointID: "FR-75011-0042"))
        #expect(salesOrder.charges.map(\.amountExclTax) == [Shop.money(408)])
    }

    @Test("free shipping: the configured default shipping method, no charge")
    func freeShipping() throws {
        let salesOrder = try #require(try OrderBench().place(Shop.order("WEB-1", lines: [Self.mug])).messages(ERPSalesOrder.self).first)
        #expect(salesOrder.shipTo.shippingMethod == "standard")
        #expect(salesOrder.charges.isEmpty)
    }

    struct PaymentCase: Sendable, CustomTestStringConvertible {
        let method: PaymentMethod
        let status: PaymentStatus?
        let stage: OrderStage
        var testDescription: String { "\(method.rawValue) \(status?.rawValue ?? "(no status)") → \(stage.rawValue)" }
    }

    @Test("with the default rules, an order goes when its payment method's rule is met", arguments: [
        PaymentCase(method: .card, status: .authorised, stage: .sent),
        PaymentCase(method: .card, status: .pending, stage: .awaitingPayment),
        PaymentCase(method: .card, status: nil, stage: .awaitingPayment),
        PaymentCase(method: .paypal, status: .paid, stage: .sent),
        PaymentCase(method: .bankTransfer, status: .pending, stage: .awaitingPayment),
        PaymentCase(method: .bankTransfer, status: .authorised, stage: .awaitingPayment),
        PaymentCase(method: .giftCard, status: nil, stage: .sent),
    ])
    func paymentRules(_ row: PaymentCase) throws {
        let bench = OrderBench()
        try bench.place(Shop.order("WEB-1", lines: [Self.mug], payment: row.method, paymentStatus: row.status))
        #expect(bench.record("WEB-1")?.stage == row.stage)
    }

    @Test("an order waiting for payment is released when its payment arrives, once")
    func releasedByPayment() throws {
        let bench = OrderBench()
        let order = Shop.order("WEB-1", lines: [Self.mug], payment: .bankTransfer, paymentStatus: .pending)
        #expect(try bench.place(order).messages(OrderAcceptance.self).map(\.status) == [.awaitingPayment], "the site is told it waits for its payment")
        let half = SitePayment(paymentID: "pay-1", orderNumber: "WEB-1", kind: .capture, method: .bankTransfer, amount: Shop.money(699),
                               providerReference: "BANK-1", occurredAt: Shop.at(minutes: 700))
        #expect(try bench.handle(half, key: "WEB-1").isEmpty, "half paid: still waiting")
        var rest = half
        rest.paymentID = "pay-2"
        let payment = OrderBench.input(rest, key: "WEB-1", id: "payment-2", at: Shop.at(minutes: 800))
        let outputs = try bench.handle(payment)
        let salesOrder = try #require(outputs.messages(ERPSalesOrder.self).first)
        #expect(salesOrder.payments == [PaymentSummary(method: .bankTransfer, amount: Shop.money(1398), status: .paid)])
        #expect(outputs.messages(OrderAcceptance.self).first?.decidedAt == Shop.at(minutes: 800))
        #expect(try bench.handle(payment).isEmpty, "redelivered payment")
    }

    @Test("a payment that arrives before its order is counted when the order comes")
    func paymentFirst() throws {
        let bench = OrderBench()
        let payment = SitePayment(paymentID: "pay-1", orderNumber: "WEB-1", kind: .capture, method: .bankTransfer, amount: Shop.money(1398),
                                  providerReference: "BANK-1", occurredAt: Shop.at(minutes: 500))
        #expect(try bench.handle(payment, key: "WEB-1").isEmpty)
        let outputs = try bench.place(Shop.order("WEB-1", lines: [Self.mug], payment: .bankTransfer, paymentStatus: .pending))
        #expect(outputs.messages(ERPSalesOrder.self).count == 1)
    }

    @Test("a payment method configured never is not imported: an exception for a person, no ERP order")
    func never() throws {
        var rules = OrderIngestRules.defaults
        rules.importWhen[.creditNote] = .never
        let bench = OrderBench(rules)
        let outputs = try bench.place(Shop.order("WEB-1", lines: [Self.mug], payment: .creditNote, paymentStatus: .paid))
        #expect(outputs.map(\.topic) == [Topics.exceptions])
        #expect(bench.record("WEB-1")?.stage == .refused)
    }

    @Test("batched: orders are kept until the release time seen in an input's time, then released in order, once")
    func batched() throws {
        var rules = OrderIngestRules.defaults
        rules.releaseMode = .batched
        rules.releaseTimes = ["12:00", "18:00"]
        rules.timeZone = "UTC"
        let bench = OrderBench(rules)
        #expect(try bench.place(Shop.order("WEB-2", lines: [Self.mug], placedAt: Shop.at(minutes: 600))).isEmpty)
        #expect(try bench.place(Shop.order("WEB-1", lines: [Self.mug], placedAt: Shop.at(minutes: 660))).isEmpty)
        #expect(bench.record("WEB-1")?.releaseAt == Shop.at(minutes: 720))
        let status = ERPOrderStatus(orderNumber: "WEB-9", erpOrderReference: "SO-9", status: .validated, sequence: 1,
                                    statusAt: Shop.at(minutes: 725), shipments: [], problems: [], documents: [])
        let tick = OrderBench.input(status, key: "WEB-9", id: "status-9", at: Shop.at(minutes: 725))
        let outputs = try bench.handle(tick)
        #expect(outputs.messages(ERPSalesOrder.self).map(\.externalReference) == ["WEB-1", "WEB-2"])
        #expect(outputs.to(Topics.erpSalesOrders).map(\.key) == ["WEB-1", "WEB-2"], "each keyed by its own order")
        #expect(try bench.handle(tick).isEmpty, "a redelivered input releases nothing twice")
        #expect(try bench.place(Shop.order("WEB-3", lines: [Self.mug], placedAt: Shop.at(minutes: 730))).isEmpty, "after 12:00: kept until 18:00")
        #expect(bench.record("WEB-3")?.releaseAt == Shop.at(minutes: 1080))
    }

    @Test("a message of a type not read is refused")
    func rejected() throws {
        let bench = OrderBench()
        let other = CatalogUnpublish(sku: "MUG", reason: .obsolete, unpublishedAt: Shop.at(minutes: 0))
        #expect(throws: FlowRejection.self) { try bench.handle(OrderBench.input(other, key: "MUG", id: "y", at: Shop.at(minutes: 0))) }
        #expect(bench.store.count == 0)
    }
}
