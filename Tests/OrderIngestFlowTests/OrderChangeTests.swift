import BusRuntime
import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// Changes that add, remove and reprice lines, within the status rules, checked again against
/// payments: an increase not paid waits as a new order does, and the ERP sees it once paid.
@Suite("order-ingest: changes that add lines and reprice, checked against payments")
struct OrderChangeTests {
    /// 3 mugs (20.97 at 20 %) and 7 books (27.93 at 5.5 %): 48.90.
    static let lines = [Shop.line(1, "MUG", "3", 699, "20"), Shop.line(2, "BOOK", "7", 399, "5.5")]

    static func capture(_ cents: Int64, id: String, method: PaymentMethod = .card) -> SitePayment {
        SitePayment(paymentID: PaymentID(id), orderNumber: "WEB-1", kind: .capture, method: method, amount: Shop.money(cents),
                    providerReference: "PSP-\(id)", occurredAt: Shop.at(minutes: 700))
    }

    /// The catalogue, with mugs also sold at 5.99 by the public promotion: a repricing is
    /// checked against the catalogue as a placement is.
    static let tables = Shop.tables.adding(
        Shop.entry("MUG", 699, "20", priceLists: [CatalogPrice(priceList: "PROMO", minimumQuantity: Quantity(1), priceExclTax: Shop.money(499),
                                                               priceInclTax: Shop.money(599), derived: .exclTax)]),
        in: Topics.shopCatalog, key: "MUG")

    /// WEB-1 in the ERP (`placed`: 48.90 of mugs and books), paid by card at placement and
    /// captured; an ERP status when given.
    static func paidOrder(status: OrderStatus? = nil, placed: [SiteOrderLine] = lines) throws -> OrderBench {
        let bench = OrderBench(tables: tables)
        let order = Shop.order("WEB-1", lines: placed, paymentStatus: .paid)
        try bench.place(order)
        try bench.handle(capture(order.totals.totalInclTax.amount, id: "pay-0"), key: "WEB-1", at: Shop.at(minutes: 601))
        if let status {
            try bench.handle(ERPOrderStatus(orderNumber: "WEB-1", erpOrderReference: "SO-1", status: status, sequence: 5, statusAt: Shop.at(minutes: 900),
                                            shipments: [], problems: [], documents: []), key: "WEB-1")
        }
        return bench
    }

    /// A change whose totals are those the site computes for `after` (the order's lines once changed).
    static func change(_ id: String, _ lineChanges: [LineQuantityChange] = [], added: [SiteOrderLine]? = nil, after: [SiteOrderLine],
                       payments: [(PaymentMethod, PaymentStatus?, Int64)]? = nil) -> OrderChange {
        let site = Shop.order("WEB-1", lines: after)
        return OrderChange(changeID: EventID(id), orderNumber: "WEB-1", changedAt: Shop.at(minutes: 1000), lineChanges: lineChanges, addedLines: added,
                           totals: site.totals, payments: payments.map { $0.map { PaymentSummary(method: $0.0, amount: Shop.money($0.2), status: $0.1) } })
    }

    static let tea = Shop.line(3, "TEA", "2", 1290, "10")

    // MARK: What a change may do, and when

    struct Edit: Sendable, CustomTestStringConvertible {
        let name: String
        let lineChanges: [LineQuantityChange]
        let added: [SiteOrderLine]?
        /// The order's lines after the change, as the site computes them.
        let after: [SiteOrderLine]
        var testDescription: String { name }
    }

    static let edits = [
        Edit(name: "add a line", lineChanges: [], added: [tea], after: lines + [tea]),
        Edit(name: "remove a line", lineChanges: [LineQuantityChange(lineNumber: 2, sku: "BOOK", quantity: .zero)], added: nil, after: [lines[0]]),
        Edit(name: "reprice a line (6.99 → 5.99)", lineChanges: [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: Quantity(3), unitPriceInclTax: Shop.money(599))],
             added: nil, after: [Shop.line(1, "MUG", "3", 599, "20"), lines[1]]),
        Edit(name: "all at once: 2 mugs at 5.99, no books, one tea",
             lineChanges: [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: Quantity(2), unitPriceInclTax: Shop.money(599)),
                           LineQuantityChange(lineNumber: 2, sku: "BOOK", quantity: .zero)],
             added: [Shop.line(3, "TEA", "1", 1290, "10")], after: [Shop.line(1, "MUG", "2", 599, "20"), Shop.line(3, "TEA", "1", 1290, "10")]),
    ]

    @Test("a change may add, remove and reprice lines: the next revision has the site's lines and total, tax per rate within a cent",
          arguments: edits, [OrderStatus?.none, .validated])
    func lineEdits(_ edit: Edit, _ status: OrderStatus?) throws {
        let bench = try Self.paidOrder(status: status)
        let total = Shop.order("WEB-1", lines: edit.after).totals.totalInclTax.amount
        // The site re-authorised the card for the new total: paid as a new order would be.
        let change = Self.change("chg-1", edit.lineChanges, added: edit.added, after: edit.after, payments: [(.card, .authorised, total)])
        #expect(change.validate().isEmpty)
        let outputs = try bench.handle(change, key: "WEB-1")
        let revision = try #require(outputs.messages(ERPSalesOrder.self).first)
        #expect(outputs.messages(OrderAcceptance.self).isEmpty, "nothing waited: the site is told nothing new")
        #expect(revision.revision == 2)
        #expect(revision.lines.map { "\($0.lineNumber) \($0.sku) \($0.quantity) \($0.unitPriceInclTax?.amount ?? 0)" }
            == edit.after.map { "\($0.lineNumber) \($0.sku) \($0.quantity) \($0.unitPriceInclTax.amount)" })
        #expect(revision.totals.totalInclTax == Shop.money(total), "the site's total prevails")
        let taxLines = try #require(revision.taxLines)
        #expect(taxLines.reduce(Int64(0)) { $0 + $1.totalInclTax.amount } == total)
        #expect((revision.roundingLine?.amount.amount.magnitude ?? 0) <= UInt64(taxLines.count), "at most a cent per rate")
        #expect(revision.payments.map(\.amount.amount).reduce(0, +) == total)
        #expect(revision.validate().isEmpty)
        #expect(try bench.handle(change, key: "WEB-1").isEmpty, "answered once")
    }

    @Test("once the ERP prepares the order, adding, removing or repricing is refused with a reason for the site",
          arguments: edits, [OrderStatus.inPreparation, .partiallyShipped, .cancelled])
    func refusedLate(_ edit: Edit, _ status: OrderStatus) throws {
        let bench = try Self.paidOrder(status: status)
        let outputs = try bench.handle(Self.change("chg-1", edit.lineChanges, added: edit.added, after: edit.after), key: "WEB-1")
        #expect(outputs.map(\.topic) == [Topics.exceptions])
        let refusal = try #require(outputs.messages(BusinessException.self).first)
        #expect(refusal.details["request_id"] == "chg-1")
        #expect(refusal.reason == "request chg-1 refused: the order is \(status.rawValue.replacingOccurrences(of: "_", with: " ")) in the ERP")
    }

    @Test("a change the catalogue does not sell is not passed on: the reason goes to the site, the ERP keeps its revision", arguments: [
        Edit(name: "an added SKU the catalogue does not sell", lineChanges: [], added: [Shop.line(3, "GHOST", "1", 500, "20")],
             after: lines + [Shop.line(3, "GHOST", "1", 500, "20")]),
        Edit(name: "repriced at 5.49, a price no list sells", lineChanges: [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: Quantity(3), unitPriceInclTax: Shop.money(549))],
             added: nil, after: [Shop.line(1, "MUG", "3", 549, "20"), lines[1]]),
    ])
    func notSold(_ edit: Edit) throws {
        let bench = try Self.paidOrder()
        let total = Shop.order("WEB-1", lines: edit.after).totals.totalInclTax.amount
        let outputs = try bench.handle(Self.change("chg-1", edit.lineChanges, added: edit.added, after: edit.after, payments: [(.card, .authorised, total)]), key: "WEB-1")
        #expect(outputs.to(Topics.erpSalesOrders).isEmpty)
        let exception = try #require(outputs.messages(BusinessException.self).first)
        #expect(exception.reason.hasPrefix("change chg-1 not passed on:"))
        #expect(exception.details["request_id"] == "chg-1")
        #expect(bench.record("WEB-1")?.revision == 1)
    }

    // MARK: Checked again against payments

    struct PaymentCase: Sendable, CustomTestStringConvertible {
        let name: String
        var placed = lines
        let edit: Edit
        let payments: [(PaymentMethod, PaymentStatus?, Int64)]?
        /// The capture that pays the increase, when the change waits for one.
        let capture: (PaymentMethod, Int64)?
        var testDescription: String { name }
    }

    static let paymentCases = [
        PaymentCase(name: "a line added, the payments unchanged: waits for the capture of the increase", edit: edits[0], payments: nil, capture: (.card, 2580)),
        PaymentCase(name: "a line added, the card re-authorised for the new total: goes at once", edit: edits[0],
                    payments: [(.card, .authorised, 7470)], capture: nil),
        PaymentCase(name: "a line added, the increase by bank transfer (when_paid): waits for the transfer", edit: edits[0],
                    payments: [(.card, .paid, 4890), (.bankTransfer, .pending, 2580)], capture: (.bankTransfer, 2580)),
        PaymentCase(name: "repriced up (the promotion's 5.99 → 6.99), the payments unchanged: waits for the capture of the increase",
                    placed: [Shop.line(1, "MUG", "3", 599, "20"), lines[1]],
                    edit: Edit(name: "", lineChanges: [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: Quantity(3), unitPriceInclTax: Shop.money(699))],
                               added: nil, after: lines),
                    payments: nil, capture: (.card, 300)),
        PaymentCase(name: "a decrease (a line removed): goes at once, below what was captured", edit: edits[1], payments: nil, capture: nil),
    ]

    @Test("a change raising the total waits until captures pay the increase, like a new order; the ERP sees it once, when paid", arguments: paymentCases)
    func recheckedAgainstPayments(_ row: PaymentCase) throws {
        let bench = try Self.paidOrder(placed: row.placed)
        let change = Self.change("chg-1", row.edit.lineChanges, added: row.edit.added, after: row.edit.after, payments: row.payments)
        let total = change.totals?.totalInclTax
        let atChange = try bench.handle(change, key: "WEB-1")
        guard let (method, cents) = row.capture else {
            #expect(atChange.messages(ERPSalesOrder.self).map(\.totals.totalInclTax) == [total].compactMap { $0 })
            #expect(atChange.messages(OrderAcceptance.self).isEmpty)
            return
        }
        #expect(atChange.to(Topics.erpSalesOrders).isEmpty, "the ERP does not see an increase not paid")
        #expect(atChange.messages(OrderAcceptance.self).map(\.status) == [.awaitingPayment])
        #expect(atChange.messages(OrderAcceptance.self).allSatisfy { $0.validate().isEmpty })
        #expect(bench.record("WEB-1")?.unpaidChanges?.map(\.changeID) == ["chg-1"])

        // A capture short of the increase by a cent: still waiting, nothing said again.
        #expect(try bench.handle(Self.capture(cents - 1, id: "pay-short", method: method), key: "WEB-1").isEmpty)
        let paid = try bench.handle(Self.capture(1, id: "pay-rest", method: method), key: "WEB-1")
        let revision = try #require(paid.messages(ERPSalesOrder.self).first)
        #expect(paid.messages(ERPSalesOrder.self).count == 1)
        #expect(revision.revision == 2)
        #expect(revision.totals.totalInclTax == total)
        #expect(revision.lines.map(\.sku) == row.edit.after.map(\.sku))
        #expect(revision.payments.map(\.amount.amount).reduce(0, +) == total?.amount, "the payments the ERP sees add up to the total")
        #expect(revision.payments.allSatisfy { $0.status == .paid })
        #expect(paid.messages(OrderAcceptance.self).map(\.status) == [.accepted])
        #expect(bench.record("WEB-1")?.unpaidChanges == nil)
        #expect(bench.record("WEB-1")?.changes.map(\.changeID) == ["chg-1"])

        // The same capture redelivered, or the change re-sent: nothing more.
        #expect(try bench.handle(Self.capture(1, id: "pay-rest", method: method), key: "WEB-1").isEmpty)
        #expect(try bench.handle(change, key: "WEB-1").isEmpty)
    }

    @Test("an order not yet in the ERP raised by a change waits for the capture of the increase before it goes")
    func beforeTheERP() throws {
        let bench = OrderBench()
        // Held (a SKU the catalogue does not sell), paid 5.00 and captured.
        try bench.place(Shop.order("WEB-1", lines: [Shop.line(1, "GHOST", "1", 500, "20")], paymentStatus: .paid))
        try bench.handle(Self.capture(500, id: "pay-0"), key: "WEB-1", at: Shop.at(minutes: 601))
        let mug = Shop.line(2, "MUG", "3", 699, "20")
        let outputs = try bench.handle(Self.change("chg-1", [LineQuantityChange(lineNumber: 1, sku: "GHOST", quantity: .zero)], added: [mug], after: [mug]), key: "WEB-1")
        #expect(outputs.to(Topics.erpSalesOrders).isEmpty)
        #expect(outputs.messages(OrderAcceptance.self).map(\.status) == [.awaitingPayment])
        let sent = try bench.handle(Self.capture(1597, id: "pay-1"), key: "WEB-1")
        #expect(sent.messages(ERPSalesOrder.self).map(\.revision) == [1])
        #expect(sent.messages(ERPSalesOrder.self).first?.lines.map(\.sku) == ["MUG"])
        #expect(sent.messages(ERPSalesOrder.self).first?.totals.totalInclTax == Shop.money(2097))
    }

    // MARK: While a change waits

    @Test("a later change joins the one waiting: both go in one revision once the total they make is paid")
    func laterChangeJoins() throws {
        let bench = try Self.paidOrder()
        #expect(try bench.handle(Self.change("chg-1", added: [Self.tea], after: Self.lines + [Self.tea]), key: "WEB-1")
            .messages(OrderAcceptance.self).map(\.status) == [.awaitingPayment])
        // The customer then drops the books: 20.97 + 25.80 = 46.77, below the 48.90 captured.
        let second = Self.change("chg-2", [LineQuantityChange(lineNumber: 2, sku: "BOOK", quantity: .zero)], after: [Self.lines[0], Self.tea])
        let outputs = try bench.handle(second, key: "WEB-1")
        let revision = try #require(outputs.messages(ERPSalesOrder.self).first)
        #expect(revision.revision == 2)
        #expect(revision.lines.map(\.sku) == ["MUG", "TEA"])
        #expect(revision.totals.totalInclTax == Shop.money(4677))
        #expect(outputs.messages(OrderAcceptance.self).map(\.status) == [.accepted])
        #expect(bench.record("WEB-1")?.changes.map(\.changeID) == ["chg-1", "chg-2"])
        // A line number the waiting change took is no longer free.
        #expect(throws: FlowRejection(field: "$.added_lines[0].line_number", reason: "the order has or had a line with this number: a new line takes a new number")) {
            try bench.handle(Self.change("chg-3", added: [Shop.line(2, "PEN", "1", 249, "20")], after: [Self.lines[0], Self.tea, Shop.line(2, "PEN", "1", 249, "20")]),
                             key: "WEB-1")
        }
    }

    @Test("changes waiting for payment are refused with a reason when…", arguments: [
        "the ERP starts preparing the order", "the order is cancelled",
    ])
    func waitingEnds(_ event: String) throws {
        let bench = try Self.paidOrder()
        try bench.handle(Self.change("chg-1", added: [Self.tea], after: Self.lines + [Self.tea]), key: "WEB-1")
        let outputs: [FlowOutput]
        if event == "the order is cancelled" {
            outputs = try bench.handle(CancellationRequest(requestID: "can-1", orderNumber: "WEB-1", requestedAt: Shop.at(minutes: 1100), requestedBy: .customer,
                                                           reason: .customerRequest, lines: []), key: "WEB-1")
            #expect(outputs.messages(ERPSalesOrderCancellation.self).count == 1)
        } else {
            outputs = try bench.handle(ERPOrderStatus(orderNumber: "WEB-1", erpOrderReference: "SO-1", status: .inPreparation, sequence: 6, statusAt: Shop.at(minutes: 1100),
                                                      shipments: [], problems: [], documents: []), key: "WEB-1")
        }
        let refusal = try #require(outputs.messages(BusinessException.self).first)
        #expect(refusal.details["request_id"] == "chg-1")
        #expect(refusal.reason.hasPrefix("request chg-1 refused: "))
        // The site hears the order stands; a cancelled one it hears about from the ERP's status.
        #expect(outputs.messages(OrderAcceptance.self).map(\.status) == (event == "the order is cancelled" ? [] : [.accepted]))
        #expect(outputs.messages(ERPSalesOrder.self).isEmpty)
        #expect(bench.record("WEB-1")?.unpaidChanges == nil)
        // The capture that comes after all sends nothing.
        #expect(try bench.handle(Self.capture(2580, id: "pay-late"), key: "WEB-1").to(Topics.erpSalesOrders).isEmpty)
    }

    @Test("the payment timeout applies to the increase: after days_before_cancel the change is refused (payment_timeout), the order stands", arguments: [
        (2.0, true), (2.0 - 1.0 / 86400, false),
    ])
    func increaseTimesOut(_ days: Double, _ refused: Bool) throws {
        var rules = OrderIngestRules.defaults
        rules.daysBeforeCancel = 2
        let flow = OrderIngest(rules: rules)
        var timeline = FlowTimeline(flow: flow)
        let order = Shop.order("WEB-1", lines: Self.lines, paymentStatus: .paid)
        let changedAt = Shop.at(minutes: 1000)
        try timeline.feed(OrderBench.input(order, key: "WEB-1", id: "order-1", at: order.placedAt), tables: Shop.tables)
        try timeline.feed(OrderBench.input(Self.capture(4890, id: "pay-0"), key: "WEB-1", id: "pay-0", at: Shop.at(minutes: 601)), tables: Shop.tables)
        try timeline.feed(OrderBench.input(Self.change("chg-1", added: [Self.tea], after: Self.lines + [Self.tea]), key: "WEB-1", id: "chg-1", at: changedAt),
                          tables: Shop.tables)
        try timeline.advance(to: changedAt.adding(seconds: Int64(days * 86400)), tables: Shop.tables)
        let codec = MessageCodec()
        let told = try timeline.outputs.filter { $0.topic == Topics.orderAcceptance }.map { try codec.decode(OrderAcceptance.self, from: try #require($0.value)) }
        let exceptions = try timeline.outputs.filter { $0.topic == Topics.exceptions }.map { try codec.decode(BusinessException.self, from: try #require($0.value)) }
        #expect(told.map(\.status) == (refused ? [.accepted, .awaitingPayment, .accepted] : [.accepted, .awaitingPayment]))
        #expect(exceptions.map { $0.details["reason_code"] } == (refused ? ["payment_timeout"] : []))
        #expect(exceptions.first?.details["request_id"] == (refused ? "chg-1" : nil))
        guard refused else { return }
        // The capture of the increase comes after all: the ERP keeps revision 1.
        try timeline.feed(OrderBench.input(Self.capture(2580, id: "pay-late"), key: "WEB-1", id: "pay-late", at: changedAt.adding(days: 3)), tables: Shop.tables)
        #expect(timeline.outputs.filter { $0.topic == Topics.erpSalesOrders }.count == 1, "revision 1 only")
    }

    @Test("an erasure reaches the changes waiting for payment: their delivery address is anonymised, and nothing of it leaves once paid")
    func erasureReachesWaitingChanges() throws {
        let bench = try Self.paidOrder()
        var change = Self.change("chg-1", added: [Self.tea], after: Self.lines + [Self.tea])
        change.deliveryAddress = PostalAddress(recipientName: "Camille Martin", lines: ["3 impasse des Roses"], postalCode: "69001", city: "Lyon", country: Shop.france)
        try bench.handle(change, key: "WEB-1")
        var state = FlowState(store: bench.store)
        _ = bench.flow.control(.erase(ErasureNotice(requestID: "erase-1", siteAccountID: "acc-1", requestedAt: Shop.at(minutes: 1100))), state: &state, tables: Self.tables)
        bench.store.apply(state.changes)
        let waiting = try #require(bench.record("WEB-1")?.unpaidChanges?.first)
        #expect(waiting.deliveryAddress == change.deliveryAddress?.anonymised)
        #expect(waiting.deliveryAddress?.recipientName != "Camille Martin")
        // Paid later, the revision carries nothing of her (an erased address no longer passes
        // the address check, as for any revision of an erased order: refused with a reason).
        let paid = try bench.handle(Self.capture(2580, id: "pay-1"), key: "WEB-1")
        #expect(!paid.contains { String(describing: $0.message).contains("Camille") || String(describing: $0.message).contains("Roses") })
        #expect(bench.record("WEB-1")?.unpaidChanges == nil, "answered, not left waiting")
    }

    // MARK: Bad input

    @Test("a change that does not add up, or reuses a line number, is bad input named by its JSON path")
    func badInput() throws {
        let bench = try Self.paidOrder()
        // Line 2 removed, then a new line under its number: its cancellations and shipments would mix.
        let withoutBooks = Self.change("chg-1", [LineQuantityChange(lineNumber: 2, sku: "BOOK", quantity: .zero)], after: [Self.lines[0]])
        try bench.handle(withoutBooks, key: "WEB-1")
        let pen = Shop.line(2, "PEN", "1", 249, "20")
        #expect(throws: FlowRejection(field: "$.added_lines[0].line_number", reason: "the order has or had a line with this number: a new line takes a new number")) {
            try bench.handle(Self.change("chg-2", added: [pen], after: [Self.lines[0], pen]), key: "WEB-1")
        }
        // Totals that are not those of the lines the change makes.
        #expect(throws: FlowRejection(field: "$.totals.lines_incl_tax", reason: "must equal the sum of the order's lines after the change (17.97 EUR)")) {
            try bench.handle(Self.change("chg-3", [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: Quantity(3), unitPriceInclTax: Shop.money(599))],
                                         after: [Self.lines[0]]), key: "WEB-1")
        }
        // Removing every line is still a cancellation, unless a line is added.
        let tea = Shop.line(4, "TEA", "1", 1290, "10")
        let swapped = try bench.handle(Self.change("chg-4", [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: .zero)], added: [tea], after: [tea]), key: "WEB-1")
        #expect(swapped.messages(ERPSalesOrder.self).first?.lines.map(\.sku) == ["TEA"])
    }

    @Test("the schema refuses payments that do not add up, and a net price without the price including tax", arguments: [
        ("payments short of the new total", [PaymentSummary(method: .card, amount: Shop.money(7000), status: .authorised)], nil as Money?, "$.payments"),
        ("a net price alone", nil, Shop.money(500), "$.line_changes[0].unit_price_incl_tax"),
    ] as [(String, [PaymentSummary]?, Money?, String)])
    func schemaRules(_ name: String, _ payments: [PaymentSummary]?, _ net: Money?, _ path: String) throws {
        var change = Self.change("chg-1", [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: Quantity(3), unitPriceExclTax: net)], added: [Self.tea],
                                 after: Self.lines + [Self.tea])
        change.payments = payments
        #expect(change.validate().map(\.path).contains(path), "\(name)")
    }
}
