import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import PaymentLettererFlow
import Testing

/// The chaos run's finding, forced on the embedded cluster: a worker delivers its outputs, is
/// killed before its changelog is written, and its successor replays the co-partitioned
/// topics in the order its fetches bring them, which is not the first worker's.
@Suite("payment-letterer: a crash with the changelog in flight, replayed in another order", .serialized)
struct CrashReplayEndToEndTests {
    static let outputs = [Topics.erpReceipts, Topics.erpLettering, Topics.exceptions]

    @Test("every receipt and lettering entry once after deduplication by ce_id, none for a person")
    func changelogLostReplayInAnotherOrder() throws {
        let flow = PaymentLetterer()
        let harness = try FlowHarness(flow: flow, topics: Self.outputs, brokers: 2)
        harness.isolate([flow.changelogTopic])
        // Payments of other orders, one or more per partition, so that the first worker has
        // restored its (empty) changelog before the changelog's broker goes down.
        let warmUp = (0..<12).map { Pay.record(Pay.payment("warm_\($0)", order: "WEB-39\($0)", .card, 100), key: "WEB-39\($0)", id: "site-warm-\($0)") }
        try harness.publish(warmUp)
        let crashed = harness.start(flow, name: "first")
        #expect(waitUntil(timeout: .seconds(120)) { crashed.consumed >= warmUp.count }, "the first worker started")
        Thread.sleep(forTimeInterval: 1)
        // From now on the changelog's broker is down: the first worker delivers its outputs
        // but writes no state, so it commits nothing more and its successor replays it all.
        harness.cluster.setBrokerDown(2)

        // Half the orders are paid before the first worker knows the sales order, half after:
        // the first posts the former's receipts on reading the sales order, the latter's on
        // reading the payment. However the successor's fetches order the two topics, one half
        // is settled by the other input than before.
        var first: [ProducerRecord] = []
        var then: [ProducerRecord] = []
        let count = 40
        for index in 0..<count {
            let order = "WEB-\(400_000 + index)"
            let account = String(format: "C4%05d", index)
            let cents = Int64(1_000 + 37 * index)
            let payment = Pay.record(Pay.payment("pay_\(index)", order: order, .card, cents, at: index), key: order, id: "site-pay-\(index)")
            let salesOrder = Pay.record(try Pay.salesOrder(order: order, cents, account: account), key: order, id: "erp-so-\(index)")
            let invoice = Pay.record(Pay.invoice("FA-4\(index)", order: order, cents, account: account, at: index + 100), key: order, id: "erp-inv-\(index)")
            if index.isMultiple(of: 2) {
                first.append(payment)
                then += [salesOrder, invoice]
            } else {
                first.append(salesOrder)
                then += [payment, invoice]
            }
        }
        try harness.publish(first)
        #expect(waitUntil(timeout: .seconds(120)) { crashed.consumed >= warmUp.count + first.count }, "the first worker read the first half")
        try harness.publish(then)
        let delivered = try waitUntil(timeout: .seconds(120)) {
            try harness.readAll(Topics.erpReceipts).count >= count && harness.readAll(Topics.erpLettering).count >= count
        }
        #expect(delivered, "the first worker delivered every receipt and entry before its crash")
        #expect(try harness.committed().filter { [Topics.erpSalesOrders, Topics.erpInvoices].contains($0.key.topic) }.values.allSatisfy { $0 <= 0 },
                "nothing of the orders committed: their changelog was never written")
        crashed.crash()
        harness.cluster.setBrokerUp(2)

        let successor = harness.start(flow, name: "successor")
        let caughtUp = try waitUntil(timeout: .seconds(120)) {
            let committed = try harness.committed()
            return try harness.inputEnds().allSatisfy { committed[$0.key] == $0.value }
        }
        successor.stopCleanly()
        #expect(caughtUp, "the successor committed every input")
        #expect(successor.failure == nil)

        var idsByEffect: [String: Set<String>] = [:]
        var records = 0
        for topic in Self.outputs {
            for record in try harness.readAll(topic) {
                records += 1
                let id = try #require(record.headers.string("ce_id"))
                idsByEffect["\(topic) \(String(decoding: record.value ?? Data(), as: UTF8.self))", default: []].insert(id)
            }
        }
        let twice = idsByEffect.filter { $0.value.count > 1 }
        #expect(twice.isEmpty, "\(twice.count) effects under two ids, e.g. \(twice.keys.sorted().prefix(2))")
        let effects = idsByEffect.keys
        #expect(effects.filter { $0.hasPrefix(Topics.erpReceipts) }.count == count, "one receipt per payment")
        #expect(effects.filter { $0.hasPrefix(Topics.erpLettering) }.count == count, "one entry per invoice")
        #expect(!effects.contains { $0.hasPrefix(Topics.exceptions) }, "nothing for a person")
        print("crash replay: \(records) records read, \(effects.count) distinct effects, \(twice.count) under two ids")
    }
}
