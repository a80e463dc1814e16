import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import PaymentLettererFlow
import StatusNotifierFlow
import Testing

/// payment-letterer and status-notifier on one embedded cluster, each its own worker and group,
/// fed as the site and the ERP would: a refund and store credit reach `shop.notifications` in
/// the customer's language, and spends of the store credit's code from two other orders are
/// decided on `shop.store-credits` through the internal re-keying topic: the one beyond the
/// balance refused, and never posted to the ERP.
@Suite("money back: end to end", .serialized)
struct MoneyBackEndToEndTests {
    static let order = "WEB-100234"

    @Test("refund and store credit notified in the customer's language; a spend beyond the balance refused")
    func refundAndStoreCredit() throws {
        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: Pay.repository.appendingPathComponent("topics/topics.json")))
        let letterer = PaymentLetterer()
        let harness = try FlowHarness(flow: letterer, topics: catalogue.topics.map(\.name), partitions: 6)
        var customer = try Self.example(SiteCustomerAccount.self, "shop.customer-account")
        customer.language = LanguageCode("de") ?? customer.language
        var siteOrder = try Self.example(SiteOrder.self, "shop.order")
        siteOrder.orderNumber = OrderNumber(Self.order)
        siteOrder.language = LanguageCode("fr") ?? siteOrder.language
        siteOrder.customer.siteAccountID = customer.siteAccountID
        let customerKey = customer.siteAccountID.rawValue
        // The account and the site order exist before the ERP's documents, as on a real site,
        // and the notifier has read the order before they come: across topics Kafka keeps no
        // order, and a credit note read before its site order is notified in the fallback
        // language (a known limit, see the chaos findings in the README).
        try harness.publish([Self.record(customer, topic: Topics.shopCustomers, key: customerKey),
                             Self.record(siteOrder, topic: Topics.shopOrders, key: Self.order)])
        let running = harness.start(letterer)
        let notifier = harness.start(other: StatusNotifier())
        defer { notifier.stopCleanly() }
        #expect(waitUntil(timeout: .seconds(120)) { notifier.consumed >= 1 }, "the notifier read the site order")
        try harness.publish([
            Pay.record(try Pay.salesOrder(order: Self.order, 8000), key: Self.order),
            Pay.record(Pay.payment("pay_1", order: Self.order, .card, 8000), key: Self.order),
            Self.record(ERPOrderStatus(orderNumber: OrderNumber(Self.order), erpOrderReference: "SO-1", status: .validated, sequence: 1, statusAt: Pay.at(30),
                                       shipments: [], problems: [], documents: []), topic: Topics.erpOrderStatus, key: Self.order),
            Pay.record(Pay.invoice("FA-1", order: Self.order, 8000, at: 60), key: Self.order),
            Pay.record(Pay.creditNote("AV-1", order: Self.order, 2000, refund: .originalPayment, at: 120), key: Self.order),
            Pay.record(Pay.creditNote("AV-2", order: Self.order, 1500, refund: .storeCredit, at: 180), key: Self.order),
        ])

        var notifications: [CustomerNotification] = []
        _ = try harness.read(Topics.shopNotifications, timeout: .seconds(120)) { records in
            notifications = records.compactMap { $0.message(CustomerNotification.self) }
            return Set(notifications.map(\.template.rawValue)).isSuperset(of: ["order_refunded", "store_credit_issued"])
        }
        let refund = try #require(notifications.first { $0.template == "order_refunded" })
        let credit = try #require(notifications.first { $0.template == "store_credit_issued" })
        #expect(refund.language.tag == "de" && credit.language.tag == "de", "the customer's language, not the order's (fr)")
        #expect(refund.parameters["amount"] == "20.00" && refund.parameters["credit_note_number"] == "AV-1")
        #expect(credit.parameters["amount"] == "15.00")
        let code = try #require(credit.parameters["code"])
        #expect(CreditCode(code).isWellFormed)
        let tracking = try harness.read(Topics.shopOrderTracking, timeout: .seconds(30)) { records in
            records.contains { $0.message(TrackingUpdate.self)?.documents?.contains { $0.kind == .creditNote && $0.number == "AV-1" } == true }
        }
        #expect(!tracking.isEmpty, "the credit note in the order's history")

        // Two other orders spend the code: 10.00 (accepted, 5.00 left), then 10.00 again (refused).
        try harness.publish([
            Pay.record(try Pay.salesOrder(order: "WEB-200001", 1000, account: "C000001"), key: "WEB-200001"),
            Pay.record(Pay.payment("spend_1", order: "WEB-200001", .creditNote, 1000, reference: code, at: 300), key: "WEB-200001"),
        ])
        _ = try harness.read(Topics.shopStoreCredits, timeout: .seconds(60)) { $0.count >= 1 }
        try harness.publish([
            Pay.record(try Pay.salesOrder(order: "WEB-200002", 1000, account: "C000001"), key: "WEB-200002"),
            Pay.record(Pay.payment("spend_2", order: "WEB-200002", .creditNote, 1000, reference: code, at: 360), key: "WEB-200002"),
        ])
        let decisions = try harness.read(Topics.shopStoreCredits, timeout: .seconds(60)) { $0.count >= 2 }
        // Two keys, two partitions: read back in payment order.
        let decided = decisions.compactMap { $0.message(StoreCreditDecision.self) }.sorted { $0.paymentID < $1.paymentID }
        #expect(decided.map(\.outcome) == [.accepted, .refused])
        #expect(decided.last?.refusal == .insufficientBalance)
        #expect(decided.map(\.balance.amount) == [500, 500])
        #expect(Set(decisions.map(\.keyString)) == ["WEB-200001", "WEB-200002"], "keyed by the order paid")
        #expect(decided.map(\.orderNumber) == ["WEB-200001", "WEB-200002"])

        let posted = try harness.read(Topics.erpReceipts, timeout: .seconds(30)) { records in
            records.contains { $0.message(Receipt.self)?.paymentID == "spend_1" }
        }.compactMap { $0.message(Receipt.self) }
        running.stopCleanly()
        #expect(running.failure == nil)
        #expect(!posted.contains { $0.paymentID == "spend_2" }, "a refused spend never reaches the ERP")
        #expect(try harness.readAll(letterer.deadLetterTopic).isEmpty)
        #expect(try harness.readAll(Topics.deadLetters(of: "status-notifier")).isEmpty)
    }

    static func example<M: BusMessage>(_ type: M.Type, _ name: String) throws -> M {
        try Pay.codec.decode(type, from: Data(contentsOf: Pay.repository.appendingPathComponent("topics/examples/\(name).v1.json")))
    }

    static func record<M: BusMessage>(_ message: M, topic: String, key: String) -> ProducerRecord {
        let envelope = Envelope(for: M.self, id: UUID().uuidString, source: "test/site", time: Pay.start)
        return ProducerRecord(topic: topic, key: key, value: Pay.codec.encode(message),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }
}
