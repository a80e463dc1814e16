import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// `bus orders release|cancel|list|show`, as order-ingest carries them out: a release sends a
/// held order to the ERP as it is, recorded on the order with who and why; a cancellation
/// ends it and tells the site; both are idempotent; the queries show the reasons with both
/// figures, judged again now.
@Suite("order-ingest: operators release, cancel, list and show held orders")
struct OperatorDecisionTests {
    /// A mug at 5.00 where the catalogue sells it at 6.99: held price_mismatch.
    static func mispriced(_ number: String = "WEB-1", payment: PaymentMethod = .card, status: PaymentStatus? = .authorised) -> SiteOrder {
        Shop.order(number, lines: [Shop.line(1, "MUG", "1", 500, "20")], payment: payment, paymentStatus: status)
    }

    static func command(_ action: OrderCommandAction, _ number: String = "WEB-1", id: String = "cmd-1", by: String = "ops-anna") -> OrderCommand {
        OrderCommand(commandID: EventID(id), orderNumber: OrderNumber(number), action: action, requestedBy: by,
                     reason: "price agreed with the customer by phone", requestedAt: Shop.at(minutes: 700))
    }

    /// Runs `command` as the runtime does: on the bench's partition, from `bus.control`.
    @discardableResult
    static func run(_ command: OrderCommand, on bench: OrderBench) throws -> (outcome: OrderCommandOutcome?, outputs: [FlowOutput]) {
        let envelope = Envelope(id: command.commandID.rawValue, source: "bus/cli", type: OrderCommand.messageType, time: command.requestedAt)
        let input = FlowInput(envelope: envelope, message: command, key: "order-ingest", topic: Topics.control)
        var state = FlowState(store: bench.store)
        let outputs = try bench.flow.command(input, state: &state, tables: bench.tables)
        bench.store.apply(state.changes)
        return (outputs.messages(OrderCommandOutcome.self).first, outputs)
    }

    static func ask(_ query: OrderQuery, _ bench: OrderBench) throws -> OrderQueryAnswer {
        var envelope = Envelope(id: "query-1", source: "bus/cli", type: OrderQuery.messageType, time: Shop.at(minutes: 700))
        envelope.correlationID = "query-1"
        let input = FlowInput(envelope: envelope, message: query, key: "order-ingest", topic: Topics.control)
        let request = FlowRequest(input: input, correlationID: "query-1", replyTo: Topics.controlReplies, replyKey: "order-ingest",
                                  deadline: Shop.at(minutes: 701), now: Shop.at(minutes: 700))
        return try #require(try bench.flow.answer(request, state: StateLookup(bench.store.snapshot), tables: bench.tables) as? OrderQueryAnswer)
    }

    @Test("a held order released is sent to the ERP as it is, the site told it is accepted, the override recorded with who and why")
    func releaseSends() throws {
        let bench = OrderBench()
        #expect(try bench.place(Self.mispriced()).messages(OrderAcceptance.self).map(\.status) == [.held])
        let (outcome, outputs) = try Self.run(Self.command(.release), on: bench)
        let sent = outputs.messages(ERPSalesOrder.self)
        #expect(sent.count == 1)
        #expect(sent.first?.lines.first?.unitPriceInclTax?.amount == 500, "at the site's price, as it is")
        #expect(outputs.messages(OrderAcceptance.self).map(\.status) == [.accepted])
        #expect(outcome?.outcome == .done && outcome?.stage == "sent", "\(String(describing: outcome))")
        #expect(outputs.to(Topics.controlReplies).first?.key == "order-ingest", "answered under the command's record key")
        let record = try #require(bench.record("WEB-1"))
        #expect(record.stage == .sent)
        #expect(record.decisions?.map(\.by) == ["ops-anna"])
        #expect(record.decisions?.first?.overrides == [.priceMismatch])
        #expect(record.decisions?.first?.reason == "price agreed with the customer by phone")
    }

    @Test("a release again does nothing more…", arguments: [
        ("the same command again (redelivered)", "cmd-1", OrderCommandResult.alreadyDone),
        ("another release of the released order", "cmd-2", .alreadyDone),
    ])
    func releaseTwice(_ name: String, _ secondID: String, _ result: OrderCommandResult) throws {
        let bench = OrderBench()
        try bench.place(Self.mispriced())
        try Self.run(Self.command(.release), on: bench)
        let (outcome, outputs) = try Self.run(Self.command(.release, id: secondID, by: "ops-bob"), on: bench)
        #expect(outcome?.outcome == result, "\(name)")
        #expect(outputs.to(Topics.erpSalesOrders).isEmpty && outputs.to(Topics.orderAcceptance).isEmpty, "\(name): nothing sent again")
        #expect(bench.record("WEB-1")?.decisions?.count == 1, "\(name): one decision")
    }

    @Test("a release keeps the import rules: an unpaid bank transfer released waits for its payment, then goes")
    func releaseKeepsPaymentRules() throws {
        let bench = OrderBench()
        let order = Self.mispriced(payment: .bankTransfer, status: .pending)
        try bench.place(order)
        let (outcome, outputs) = try Self.run(Self.command(.release), on: bench)
        #expect(outcome?.outcome == .done && outcome?.stage == "awaiting_payment")
        #expect(outputs.to(Topics.erpSalesOrders).isEmpty)
        #expect(outputs.messages(OrderAcceptance.self).map(\.status) == [.awaitingPayment])
        let paid = SitePayment(paymentID: "pay-1", orderNumber: "WEB-1", kind: .capture, method: .bankTransfer, amount: order.totals.totalInclTax,
                               providerReference: "BANK-1", occurredAt: Shop.at(minutes: 800))
        let later = try bench.handle(paid, key: "WEB-1", at: Shop.at(minutes: 800))
        #expect(later.messages(ERPSalesOrder.self).count == 1, "the override holds when the payment comes")
    }

    @Test("a release overrides the reasons it was held for only: a change bringing a new reason holds it again")
    func newReasonHoldsAgain() throws {
        let bench = OrderBench()
        try bench.place(Self.mispriced(payment: .bankTransfer, status: .pending))
        try Self.run(Self.command(.release), on: bench)
        let change = OrderChange(changeID: "chg-1", orderNumber: "WEB-1", changedAt: Shop.at(minutes: 750),
                                 deliveryAddress: PostalAddress(recipientName: "C. M.", lines: ["1 rue"], city: "Paris", country: Shop.france), lineChanges: [])
        let outputs = try bench.handle(change, key: "WEB-1", at: Shop.at(minutes: 750))
        #expect(outputs.messages(OrderAcceptance.self).map(\.status) == [.held])
        #expect(bench.record("WEB-1")?.heldReasons.map(\.code) == [.priceMismatch, .invalidAddress])
    }

    @Test("release and cancel are refused, with the reason, outside their stage…", arguments: [
        ("release of an order in the ERP", OrderCommandAction.release, false, OrderCommandResult.refused, "it is in the ERP"),
        ("cancel of an order in the ERP", .cancel, false, .refused, "it is in the ERP"),
        ("release of an unknown order", .release, true, .unknownOrder, "no order with this number"),
        ("cancel of an unknown order", .cancel, true, .unknownOrder, "no order with this number"),
    ])
    func refused(_ name: String, _ action: OrderCommandAction, _ unknown: Bool, _ result: OrderCommandResult, _ says: String) throws {
        let bench = OrderBench()
        try bench.place(Shop.order("WEB-1", lines: [Shop.line(1, "MUG", "1", 699, "20")]))
        let (outcome, outputs) = try Self.run(Self.command(action, unknown ? "WEB-404" : "WEB-1"), on: bench)
        #expect(outcome?.outcome == result, "\(name)")
        #expect(outcome?.message.contains(says) == true, "\(name): \(outcome?.message ?? "")")
        #expect(outputs.count == 1, "\(name): only the answer")
    }

    @Test("a release the bus cannot carry out (no ERP order can be built: the site's tax disagrees) is refused and leaves no trace")
    func releaseThatCannotBuild() throws {
        let bench = OrderBench()
        // A site tax per rate 50 cents too much at 20 %: the builder cannot make the ERP's figures.
        var candy = Shop.order("WEB-1", lines: [Shop.line(1, "CANDY", "20", 99, "20")])
        candy.totals.taxes = [RateTax(vatRate: Shop.rate("20"), tax: Shop.money(380))]
        candy.totals.totalTax = Shop.money(380)
        candy.totals.totalExclTax = Shop.money(1980 - 380)
        #expect(try bench.place(candy).messages(OrderAcceptance.self).first?.reasons.map(\.code) == [.roundingBeyondTolerance])
        let before = bench.record("WEB-1")
        let (outcome, outputs) = try Self.run(Self.command(.release), on: bench)
        #expect(outcome?.outcome == .refused)
        #expect(outcome?.message.contains("cannot be sent as it is (rounding_beyond_tolerance)") == true, "\(outcome?.message ?? "")")
        #expect(outputs.count == 1, "only the answer")
        let after = try #require(bench.record("WEB-1"))
        #expect(after.stage == .held && after.decisions == nil && after.answered == before?.answered, "no decision recorded")
    }

    @Test("a held order cancelled never reaches the ERP, the site is told cancelled with the reasons it was held; again: already done")
    func cancel() throws {
        let bench = OrderBench()
        try bench.place(Self.mispriced())
        let (outcome, outputs) = try Self.run(Self.command(.cancel), on: bench)
        #expect(outcome?.outcome == .done && outcome?.stage == "cancelled")
        let told = outputs.messages(OrderAcceptance.self)
        #expect(told.map(\.status) == [.cancelled])
        #expect(told.first?.reasons.map(\.code) == [.priceMismatch])
        #expect(outputs.to(Topics.erpSalesOrders).isEmpty)
        #expect(bench.record("WEB-1")?.decisions?.map(\.action) == [.cancel])
        let again = try Self.run(Self.command(.cancel, id: "cmd-2"), on: bench)
        #expect(again.outcome?.outcome == .alreadyDone && again.outputs.count == 1)
        let release = try Self.run(Self.command(.release, id: "cmd-3"), on: bench)
        #expect(release.outcome?.outcome == .refused && release.outputs.to(Topics.erpSalesOrders).isEmpty, "a cancelled order is not released")
        // The site's corrected re-send of a cancelled order does not bring it back.
        #expect(try bench.place(Shop.order("WEB-1", lines: [Shop.line(1, "MUG", "1", 699, "20")])).to(Topics.erpSalesOrders).isEmpty)
    }

    @Test("list: the held orders (of one reason), each reason with both figures; show: one order whatever its stage, with the decisions")
    func listAndShow() throws {
        let bench = OrderBench()
        try bench.place(Self.mispriced("WEB-1"))
        try bench.place(Shop.order("WEB-2", lines: [Shop.line(1, "GHOST", "1", 500, "20")]))
        try bench.place(Shop.order("WEB-3", lines: [Shop.line(1, "MUG", "1", 699, "20")]))
        let all = try Self.ask(OrderQuery(requestedBy: "ops"), bench)
        #expect(all.orders.map(\.orderNumber) == ["WEB-1", "WEB-2"], "held orders only")
        #expect(all.partitions == [0] && all.partitionCount == 1)
        let prices = try Self.ask(OrderQuery(holdReason: .priceMismatch, requestedBy: "ops"), bench)
        #expect(prices.orders.map(\.orderNumber) == ["WEB-1"])
        let reason = try #require(prices.orders.first?.reasons.first)
        #expect(reason.code == .priceMismatch && reason.lineNumber == 1)
        #expect(reason.details["found_unit_price"] == "5.00 EUR" && reason.details["catalogue_unit_price"] == "6.99 EUR", "\(reason.details)")

        try Self.run(Self.command(.release), on: bench)
        let shown = try Self.ask(OrderQuery(orderNumber: "WEB-1", requestedBy: "ops"), bench)
        #expect(shown.orders.map(\.stage) == ["sent"])
        #expect(shown.orders.first?.decisions.map(\.by) == ["ops-anna"])
        #expect(try Self.ask(OrderQuery(orderNumber: "WEB-404", requestedBy: "ops"), bench).orders.isEmpty)
        #expect(try Self.ask(OrderQuery(requestedBy: "ops"), bench).orders.map(\.orderNumber) == ["WEB-2"], "released: no longer listed")
    }

    @Test("a query past its deadline is answered timeout, with no orders")
    func timeout() throws {
        let bench = OrderBench()
        try bench.place(Self.mispriced())
        let input = FlowInput(envelope: Envelope(id: "q", source: "bus/cli", type: OrderQuery.messageType, time: Shop.at(minutes: 700)),
                              message: OrderQuery(requestedBy: "ops"), key: "order-ingest", topic: Topics.control)
        let request = FlowRequest(input: input, correlationID: "q", replyTo: Topics.controlReplies, replyKey: "order-ingest",
                                  deadline: Shop.at(minutes: 700), now: Shop.at(minutes: 701))
        let answer = try #require(try bench.flow.answer(request, state: StateLookup(bench.store.snapshot), tables: bench.tables) as? OrderQueryAnswer)
        #expect(answer.status == .timeout && answer.orders.isEmpty)
    }
}
