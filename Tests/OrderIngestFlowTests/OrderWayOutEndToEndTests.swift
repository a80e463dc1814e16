import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import Testing

/// Held and unpaid orders find their way out on the embedded cluster, every input published
/// by a plain producer as the site and customer-sync would. One cluster and one worker for the
/// suite (a group's first join costs 3 s): each test has its own order numbers and accounts.
@Suite("order-ingest: no dead ends, end to end", .serialized)
struct OrderWayOutEndToEndTests {
    /// The cluster, with the catalogue published, and the worker running over it.
    final class Shared: Sendable {
        let harness: FlowHarness<OrderIngest>
        let worker: RunningWorker<OrderIngest>

        init() throws {
            var rules = OrderIngestRules.defaults
            rules.daysBeforeCancel = 2
            let flow = OrderIngest(rules: rules)
            harness = try FlowHarness(flow: flow, topics: [Topics.erpSalesOrders, Topics.orderAcceptance])
            try harness.publish(OrderTraffic.tableRecords(accounts: 0))
            worker = harness.start(flow)
        }
    }

    static let shared = Result { try Shared() }

    /// The acceptances for `number` on `bus.order-acceptance`, read until `done` holds.
    static func acceptances(_ number: String, _ harness: FlowHarness<OrderIngest>, timeout: Duration = .seconds(60),
                            until done: @escaping ([OrderAcceptance]) -> Bool) throws -> [OrderAcceptance] {
        let decode = { (records: [ConsumedRecord]) in
            records.filter { $0.keyString == number && $0.headers.string("ce_type") == OrderAcceptance.messageType }
                .compactMap { $0.value.flatMap { try? Shop.codec.decode(OrderAcceptance.self, from: $0) } }
        }
        return decode(try harness.read(Topics.orderAcceptance, timeout: timeout) { done(decode($0)) })
    }

    static func salesOrders(_ number: String, _ harness: FlowHarness<OrderIngest>) throws -> [ERPSalesOrder] {
        try harness.readAll(Topics.erpSalesOrders).filter { $0.keyString == number }
            .compactMap { $0.value.flatMap { try? Shop.codec.decode(ERPSalesOrder.self, from: $0) } }
    }

    static func order(_ order: SiteOrder, id: String, at time: Instant) -> ProducerRecord {
        Shop.record(order, topic: Topics.shopOrders, key: order.orderNumber.rawValue, id: id, time: time)
    }

    @Test("a sign-up followed 50 ms later by an order: held unknown_customer, then in the ERP as soon as the link is published, once, with no manual step")
    func signUpThenOrder() throws {
        let shared = try Self.shared.get()
        let harness = shared.harness
        let now = Instant(Date())
        let placed = Shop.order("WEB-SIGNUP-1", lines: [Shop.line(1, "MUG", "2", 699, "20")], account: "acc-signup-1", placedAt: now)
        try harness.publish([Self.order(placed, id: "signup-order-1", at: now)])
        // The order came first: the account was not linked yet.
        let held = try Self.acceptances("WEB-SIGNUP-1", harness) { !$0.isEmpty }
        #expect(held.map(\.status) == [.held])
        #expect(held.first?.reasons.map(\.code) == [.unknownCustomer])

        // customer-sync links the new account, 50 ms after the sign-up (here: once the hold was seen).
        let link = Shop.link("acc-signup-1", "C000950")
        let linkedAt = ContinuousClock.now
        try harness.publish([Shop.record(link, topic: Topics.customerIdentity, key: "acc-signup-1", id: "link-signup-1", time: Instant(Date()))])
        let told = try Self.acceptances("WEB-SIGNUP-1", harness, timeout: .seconds(30)) { $0.last?.status == .accepted }
        let latency = ContinuousClock.now - linkedAt
        #expect(told.map(\.status) == [.held, .accepted])
        let sent = try Self.salesOrders("WEB-SIGNUP-1", harness)
        #expect(sent.count == 1, "exactly once")
        #expect(sent.first?.soldTo == "C000950")
        #expect(sent.first?.revision == 1)
        #expect(sent.first?.totals.totalInclTax == Shop.money(1398))
        print("order-ingest: held order sent \(latency) after its customer's link was published")

        // The link published again (customer-sync's resync, a restart) sends nothing more.
        try harness.publish([Shop.record(link, topic: Topics.customerIdentity, key: "acc-signup-1", id: "link-signup-1-again", time: Instant(Date()))])
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try Self.salesOrders("WEB-SIGNUP-1", harness).count == 1)
    }

    @Test("an unpaid order: the site is told it waits; when the partition's clock passes days_before_cancel (2), it is cancelled and the site told, never sent")
    func unpaidTimesOut() throws {
        let shared = try Self.shared.get()
        let harness = shared.harness
        let start = Instant(Date())
        let unpaid = Shop.order("WEB-UNPAID-1", lines: [Shop.line(1, "BOOK", "1", 399, "5.5")], account: nil, payment: .bankTransfer,
                                paymentStatus: .pending, placedAt: start)
        try harness.publish([Self.order(unpaid, id: "unpaid-order-1", at: start)])
        #expect(try Self.acceptances("WEB-UNPAID-1", harness) { !$0.isEmpty }.map(\.status) == [.awaitingPayment])

        // Two days and a minute later, another order of the same partition moves its clock.
        let partition = Murmur2Partitioner.partition(of: "WEB-UNPAID-1", partitions: Int32(harness.partitions))
        let neighbour = try #require((1...500).map { "WEB-LATER-\($0)" }.first { Murmur2Partitioner.partition(of: $0, partitions: Int32(harness.partitions)) == partition })
        let later = start.adding(days: 2).adding(seconds: 60)
        try harness.publish([Self.order(Shop.order(neighbour, lines: [Shop.line(1, "PEN", "1", 249, "20")], account: nil, placedAt: later), id: "later-1", at: later)])
        let told = try Self.acceptances("WEB-UNPAID-1", harness) { $0.last?.status == .cancelled }
        #expect(told.map(\.status) == [.awaitingPayment, .cancelled])
        #expect(told.last?.reasons.map(\.code) == [.paymentTimeout])
        #expect(told.allSatisfy { $0.validate().isEmpty })

        // The transfer arrives after all: nothing goes to the ERP.
        try harness.publish([Shop.record(SitePayment(paymentID: "pay-unpaid-1", orderNumber: "WEB-UNPAID-1", kind: .capture, method: .bankTransfer,
                                                     amount: Shop.money(399), providerReference: "BANK-U1", occurredAt: later),
                                         topic: Topics.shopPayments, key: "WEB-UNPAID-1", id: "pay-unpaid-1", time: later.adding(seconds: 1))])
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try Self.salesOrders("WEB-UNPAID-1", harness).isEmpty)
    }

    @Test("a partial cancellation, then a change: the ERP gets the cancellation, then revision 2 without the cancelled line")
    func partialCancellationThenChange() throws {
        let shared = try Self.shared.get()
        let harness = shared.harness
        let now = Instant(Date())
        let number = "WEB-PARTIAL-1"
        let placed = Shop.order(number, lines: [Shop.line(1, "MUG", "3", 699, "20"), Shop.line(2, "BOOK", "7", 399, "5.5")], account: nil, placedAt: now)
        try harness.publish([Self.order(placed, id: "partial-order-1", at: now)])
        _ = try harness.read(Topics.erpSalesOrders) { $0.contains { $0.keyString == number } }
        let cancel = CancellationRequest(requestID: "partial-cancel-1", orderNumber: OrderNumber(number), requestedAt: now.adding(seconds: 60), requestedBy: .customer,
                                         reason: .customerRequest, lines: [OrderLineQuantity(lineNumber: 2, sku: "BOOK", quantity: Quantity(7))])
        let change = OrderChange(changeID: "partial-change-1", orderNumber: OrderNumber(number), changedAt: now.adding(seconds: 120),
                                 lineChanges: [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: Quantity(2))],
                                 totals: OrderTotals(linesInclTax: Shop.money(1398), shippingInclTax: Shop.money(0), vouchersInclTax: Shop.money(0),
                                                     totalExclTax: Shop.money(1165), totalTax: Shop.money(233), totalInclTax: Shop.money(1398)))
        try harness.publish([Shop.record(cancel, topic: Topics.shopOrders, key: number, id: "partial-cancel-1", time: now.adding(seconds: 60)),
                             Shop.record(change, topic: Topics.shopOrders, key: number, id: "partial-change-1", time: now.adding(seconds: 120))])
        let records = try harness.read(Topics.erpSalesOrders, timeout: .seconds(30)) { records in
            records.contains { $0.keyString == number && $0.value.flatMap { try? Shop.codec.decode(ERPSalesOrder.self, from: $0) }?.revision == 2 }
        }.filter { $0.keyString == number }
        #expect(records.compactMap { $0.headers.string("ce_type") } == [ERPSalesOrder.messageType, ERPSalesOrderCancellation.messageType, ERPSalesOrder.messageType])
        let revisions = records.compactMap { $0.value.flatMap { try? Shop.codec.decode(ERPSalesOrder.self, from: $0) } }
        #expect(revisions.map(\.revision) == [1, 2])
        let exceptions = try harness.readAll(Topics.exceptions).filter { $0.keyString == number }
            .compactMap { $0.value.flatMap { try? Shop.codec.decode(BusinessException.self, from: $0) }?.reason }
        #expect(exceptions.isEmpty)
        let letters = try harness.readAll(OrderIngest().deadLetterTopic).filter { $0.keyString == number }
        #expect(letters.map { $0.headers.string("bus_error_reason") ?? $0.headers.map(\.key).joined(separator: ",") }.isEmpty)
        #expect(revisions.last?.lines.map { "\($0.sku):\($0.quantity)" } == ["MUG:2"], "the cancelled line stays cancelled")
        #expect(revisions.last?.totals.totalInclTax == Shop.money(1398))
    }
}
