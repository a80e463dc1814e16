import BusKafka
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import Testing

/// A change adding a line to a paid order, on the embedded cluster: the site publishes the
/// order, its captures and the change with kcat (another client, another process; the change
/// written by hand as the site would, with the new `added_lines`), and order-ingest runs as
/// its worker.
@Suite("order-ingest: a change adding a line, end to end")
struct OrderChangeEndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Publishes `value` with kcat as the site does: murmur2, binary-mode CloudEvents headers.
    static func kcat(_ brokers: String, topic: String, key: String, type: String, id: String, value: Data) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString).json")
        try value.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
        process.arguments = ["-P", "-b", brokers, "-t", topic, "-k", key, "-X", "partitioner=murmur2_random",
                             "-H", "ce_specversion=1.0", "-H", "ce_id=\(id)", "-H", "ce_source=site/kcat", "-H", "ce_type=\(type)",
                             "-H", "ce_time=\(Instant(Date()))", "-H", "content-type=application/json", file.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "kcat published \(type)")
    }

    static func capture(_ id: String, _ cents: Int) -> Data {
        Data(#"{"payment_id": "\#(id)", "order_number": "WEB-CHG-1", "kind": "capture", "method": "card", "amount": {"amount": \#(cents), "currency": "EUR"}, "provider_reference": "PSP-\#(id)", "occurred_at": "\#(Instant(Date()))"}"#.utf8)
    }

    /// Two teas at 12.90 (10 %) added as line 3; the site's totals for 3 mugs, 7 books and them.
    static let change = Data(#"""
    {"change_id": "chg-e2e-1", "order_number": "WEB-CHG-1", "changed_at": "2030-03-04T12:00:00Z", "line_changes": [],
     "added_lines": [{"line_number": 3, "sku": "TEA", "quantity": "2",
                      "unit_price_excl_tax": {"amount": 1173, "currency": "EUR"}, "unit_price_incl_tax": {"amount": 1290, "currency": "EUR"},
                      "vat_rate": "10", "discounts": [],
                      "total_excl_tax": {"amount": 2345, "currency": "EUR"}, "total_incl_tax": {"amount": 2580, "currency": "EUR"}}],
     "totals": {"lines_incl_tax": {"amount": 7470, "currency": "EUR"}, "shipping_incl_tax": {"amount": 0, "currency": "EUR"},
                "vouchers_incl_tax": {"amount": 0, "currency": "EUR"}, "total_excl_tax": {"amount": 6740, "currency": "EUR"},
                "total_tax": {"amount": 730, "currency": "EUR"}, "total_incl_tax": {"amount": 7470, "currency": "EUR"}}}
    """#.utf8)

    @Test("a change adding a line to a paid order waits for the extra payment; once captured, it reaches the ERP once")
    func addedLineWaitsForPayment() throws {
        let flow = OrderIngest()
        let harness = try FlowHarness(flow: flow, topics: [Topics.erpSalesOrders, Topics.orderAcceptance])
        try harness.publish(OrderTraffic.tableRecords(accounts: 0))
        let worker = harness.start(flow)
        defer { worker.stopCleanly() }
        let brokers = harness.cluster.bootstrapServers
        let number = "WEB-CHG-1"
        let salesOrders = { try harness.readAll(Topics.erpSalesOrders).filter { $0.keyString == number }
            .compactMap { $0.value.flatMap { try? Shop.codec.decode(ERPSalesOrder.self, from: $0) } } }
        let acceptances = { (records: [ConsumedRecord]) in
            records.filter { $0.keyString == number }.compactMap { $0.value.flatMap { try? Shop.codec.decode(OrderAcceptance.self, from: $0) } }
        }

        // The order, paid by card at placement (48.90) and captured.
        let placed = Shop.order(number, lines: OrderChangeTests.lines, account: nil, paymentStatus: .paid, placedAt: Instant(Date()))
        try Self.kcat(brokers, topic: Topics.shopOrders, key: number, type: SiteOrder.messageType, id: "site-order-chg-1", value: Shop.codec.encode(placed))
        try Self.kcat(brokers, topic: Topics.shopPayments, key: number, type: SitePayment.messageType, id: "site-pay-chg-0", value: Self.capture("pay-chg-0", 4890))
        _ = try harness.read(Topics.orderAcceptance, timeout: .seconds(60)) { acceptances($0).map(\.status) == [.accepted] }
        #expect(try salesOrders().map(\.revision) == [1])

        // Two teas added: 74.70, the payments unchanged. The site is told the order awaits payment; the ERP sees nothing.
        try Self.kcat(brokers, topic: Topics.shopOrders, key: number, type: OrderChange.messageType, id: "site-change-chg-1", value: Self.change)
        let waiting = try harness.read(Topics.orderAcceptance, timeout: .seconds(30)) { acceptances($0).count >= 2 }
        #expect(acceptances(waiting).map(\.status) == [.accepted, .awaitingPayment])
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try salesOrders().map(\.revision) == [1], "not before the increase is paid")

        // The extra 25.80 captured: revision 2, with the tea, at the site's total; the site told it is accepted.
        try Self.kcat(brokers, topic: Topics.shopPayments, key: number, type: SitePayment.messageType, id: "site-pay-chg-1", value: Self.capture("pay-chg-1", 2580))
        let told = try harness.read(Topics.orderAcceptance, timeout: .seconds(30)) { acceptances($0).count >= 3 }
        #expect(acceptances(told).map(\.status) == [.accepted, .awaitingPayment, .accepted])
        let revisions = try salesOrders()
        #expect(revisions.map(\.revision) == [1, 2])
        let revision = try #require(revisions.last)
        #expect(revision.lines.map { "\($0.sku):\($0.quantity)" } == ["MUG:3", "BOOK:7", "TEA:2"])
        #expect(revision.totals.totalInclTax == Shop.money(7470))
        #expect(revision.taxLines?.reduce(Int64(0)) { $0 + $1.totalInclTax.amount } == 7470)
        #expect(revision.payments.map(\.amount.amount).reduce(0, +) == 7470)

        // The capture redelivered (the same event again) and the change re-sent: still once.
        try Self.kcat(brokers, topic: Topics.shopPayments, key: number, type: SitePayment.messageType, id: "site-pay-chg-1", value: Self.capture("pay-chg-1", 2580))
        try Self.kcat(brokers, topic: Topics.shopOrders, key: number, type: OrderChange.messageType, id: "site-change-chg-1-again", value: Self.change)
        Thread.sleep(forTimeInterval: 2)
        #expect(try salesOrders().map(\.revision) == [1, 2], "the ERP sees the change once")
        #expect(try harness.readAll(flow.deadLetterTopic).isEmpty, "nothing dead-lettered")
        #expect(worker.failure == nil)
    }
}
