import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import Testing

/// A held order whose customer is linked while no worker owns its partition: the link is in
/// the identity table when the next worker starts, so no table change will ever be told of it,
/// and no input of the order may ever come. The worker that restores the partition looks again.
@Suite("order-ingest: a held order freed while its worker was down")
struct HeldOrderRestoreEndToEndTests {
    @Test("held unknown_customer, the worker stopped, the link published meanwhile: the next worker's restore sends the order once, with no input and no manual step")
    func linkedWhileDown() throws {
        let flow = OrderIngest(rules: .defaults)
        let harness = try FlowHarness(flow: flow, topics: [Topics.erpSalesOrders, Topics.orderAcceptance])
        try harness.publish(OrderTraffic.tableRecords(accounts: 0))
        let first = harness.start(flow, name: "first")
        let now = Instant(Date())
        let placed = Shop.order("WEB-RESTORE-1", lines: [Shop.line(1, "MUG", "2", 699, "20")], account: "acc-restore-1", placedAt: now)
        try harness.publish([OrderWayOutEndToEndTests.order(placed, id: "restore-order-1", at: now)])
        let held = try OrderWayOutEndToEndTests.acceptances("WEB-RESTORE-1", harness) { !$0.isEmpty }
        #expect(held.map(\.status) == [.held])
        #expect(held.first?.reasons.map(\.code) == [.unknownCustomer])
        first.stopCleanly()

        // customer-sync links the account while order-ingest is down.
        let link = Shop.link("acc-restore-1", "C000951")
        try harness.publish([Shop.record(link, topic: Topics.customerIdentity, key: "acc-restore-1", id: "link-restore-1", time: Instant(Date()))])
        let second = harness.start(flow, name: "second")
        defer { second.stopCleanly() }
        let told = try OrderWayOutEndToEndTests.acceptances("WEB-RESTORE-1", harness, timeout: .seconds(45)) { $0.last?.status == .accepted }
        #expect(told.map(\.status) == [.held, .accepted])
        let sent = try OrderWayOutEndToEndTests.salesOrders("WEB-RESTORE-1", harness)
        #expect(sent.count == 1, "exactly once")
        #expect(sent.first?.soldTo == "C000951")
        #expect(second.failure == nil)
    }
}
