import BusRuntime
import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// Held orders and orders waiting for payment have a way out: a corrected re-send replaces a
/// held order; an order whose payment does not come is cancelled after `days_before_cancel`,
/// and the site is told it waits, then that it is cancelled.
@Suite("order-ingest: a way out for held and unpaid orders")
struct HeldOrderWayOutTests {
    static let mug = Shop.line(1, "MUG", "2", 699, "20")

    @Test("a held order re-sent with another content replaces the held version…", arguments: [
        ("corrected SKU: sent, as corrected", Shop.order("WEB-1", lines: [Shop.line(1, "GHOST", "1", 500, "20")]),
         Shop.order("WEB-1", lines: [mug]), AcceptanceStatus.accepted, [AcceptanceReasonCode]()),
        ("still wrong another way: held for the new reason only", Shop.order("WEB-1", lines: [Shop.line(1, "GHOST", "1", 500, "20")]),
         Shop.order("WEB-1", lines: [mug], delivery: PostalAddress(recipientName: "C. M.", lines: ["1 rue"], city: "Paris", country: Shop.france)),
         .held, [.invalidAddress]),
    ])
    func corrected(_ name: String, _ first: SiteOrder, _ second: SiteOrder, _ status: AcceptanceStatus, _ reasons: [AcceptanceReasonCode]) throws {
        let bench = OrderBench()
        #expect(try bench.place(first).messages(OrderAcceptance.self).map(\.status) == [.held])
        let outputs = try bench.place(second, at: Shop.at(minutes: 610))
        #expect(outputs.messages(OrderAcceptance.self).map(\.status) == [status], "\(name)")
        #expect(outputs.messages(OrderAcceptance.self).last?.reasons.map(\.code) == reasons)
        #expect(!outputs.messages(BusinessException.self).contains { $0.reason.contains("different content") }, "not a conflict")
        #expect(bench.record("WEB-1")?.placed == second, "the correction stands")
        #expect(outputs.messages(ERPSalesOrder.self).map(\.lines.count) == (status == .accepted ? [1] : []))
    }

    @Test("an order not held keeps its first content: another is still an exception")
    func notHeldKeepsFirst() throws {
        let bench = OrderBench()
        try bench.place(Shop.order("WEB-1", lines: [Self.mug], payment: .bankTransfer, paymentStatus: .pending))
        let outputs = try bench.place(Shop.order("WEB-1", lines: [Shop.line(1, "MUG", "3", 699, "20")], payment: .bankTransfer, paymentStatus: .pending))
        #expect(outputs.map(\.topic) == [Topics.exceptions])
        #expect(bench.record("WEB-1")?.placed?.lines.first?.quantity == Quantity(2))
    }

    static func unpaid(_ number: String = "WEB-1", minute: Int = 600) -> SiteOrder {
        Shop.order(number, lines: [mug], payment: .bankTransfer, paymentStatus: .pending, placedAt: Shop.at(minutes: minute))
    }

    static func input(_ message: any BusMessage, _ key: String, _ id: String, at time: Instant) -> FlowInput {
        OrderBench.input(message, key: key, id: id, at: time)
    }

    static func capture(_ amount: Int64, id: String = "pay-1", at time: Instant) -> SitePayment {
        SitePayment(paymentID: PaymentID(id), orderNumber: "WEB-1", kind: .capture, method: .bankTransfer, amount: Shop.money(amount),
                    providerReference: "BANK-1", occurredAt: time)
    }

    static func acceptances(_ timeline: FlowTimeline<OrderIngest>) throws -> [OrderAcceptance] {
        try timeline.outputs.filter { $0.topic == Topics.orderAcceptance }.map { try MessageCodec().decode(OrderAcceptance.self, from: try #require($0.value)) }
    }

    static func flow(days: Int) -> OrderIngest {
        var rules = OrderIngestRules.defaults
        rules.daysBeforeCancel = days
        return OrderIngest(rules: rules)
    }

    @Test("an order waiting for payment: the site is told; without payment it is cancelled after days_before_cancel, and told again", arguments: [
        ("not paid: cancelled on the day", 3, nil as Int?, 3.0, [AcceptanceStatus.awaitingPayment, .cancelled], OrderStage.cancelled),
        ("not paid, a second before the day: waits", 3, nil, 3.0 - 1.0 / 86400, [.awaitingPayment], .awaitingPayment),
        ("paid on day 2: sent, never cancelled", 3, 2, 10, [.awaitingPayment, .accepted], .sent),
        ("days_before_cancel 0: waits for ever", 0, nil, 400, [.awaitingPayment], .awaitingPayment),
    ])
    func paymentTimeout(_ name: String, _ days: Int, _ paidOnDay: Int?, _ advanceDays: Double, _ told: [AcceptanceStatus], _ stage: OrderStage) throws {
        var timeline = FlowTimeline(flow: Self.flow(days: days))
        let order = Self.unpaid()
        let start = order.placedAt
        try timeline.feed(Self.input(order, "WEB-1", "order-1", at: start), tables: Shop.tables)
        if let paidOnDay {
            let time = start.adding(days: paidOnDay)
            try timeline.feed(Self.input(Self.capture(order.totals.totalInclTax.amount, at: time), "WEB-1", "pay-1", at: time), tables: Shop.tables)
        }
        try timeline.advance(to: start.adding(seconds: Int64(advanceDays * 86400)), tables: Shop.tables)
        let acceptances = try Self.acceptances(timeline)
        #expect(acceptances.map(\.status) == told, "\(name)")
        #expect(acceptances.allSatisfy { $0.validate().isEmpty })
        if told.last == .cancelled { #expect(acceptances.last?.reasons.map(\.code) == [.paymentTimeout]) }
        guard case .order(let record)? = timeline.store["WEB-1"] else { Issue.record("no record"); return }
        #expect(record.stage == stage)
        #expect(timeline.outputs.filter { $0.topic == Topics.erpSalesOrders }.count == (stage == .sent ? 1 : 0))
    }

    @Test("a payment after the cancellation sends nothing; the cancelled order is forgotten after the retention")
    func lateCapture() throws {
        var rules = OrderIngestRules.defaults
        rules.daysBeforeCancel = 3
        rules.retention = Retention(days: 10)
        var timeline = FlowTimeline(flow: OrderIngest(rules: rules))
        let order = Self.unpaid()
        try timeline.feed(Self.input(order, "WEB-1", "order-1", at: order.placedAt), tables: Shop.tables)
        try timeline.advance(to: order.placedAt.adding(days: 3), tables: Shop.tables)
        let late = order.placedAt.adding(days: 4)
        try timeline.feed(Self.input(Self.capture(order.totals.totalInclTax.amount, at: late), "WEB-1", "pay-1", at: late), tables: Shop.tables)
        #expect(timeline.outputs.filter { $0.topic == Topics.erpSalesOrders }.isEmpty)
        try timeline.advance(to: late.adding(days: 10), tables: Shop.tables)
        #expect(timeline.store["WEB-1"] == nil, "forgotten 10 days after its last event")
    }

    @Test("the rules file's days_before_cancel: 0 to 365")
    func rulesField() throws {
        #expect(try JSONDecoder().decode(OrderIngestRules.self, from: Data(#"{"days_before_cancel": 7}"#.utf8)).daysBeforeCancel == 7)
        #expect(OrderIngestRules.defaults.daysBeforeCancel == 14)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(OrderIngestRules.self, from: Data(#"{"days_before_cancel": -1}"#.utf8)) }
    }
}
