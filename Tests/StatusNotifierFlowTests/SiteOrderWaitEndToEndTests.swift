import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import StatusNotifierFlow
import Testing

/// The worker on the embedded cluster, its inputs published by kcat (another client, another
/// process) from the contract's examples, in the order Kafka may deliver them across topics:
/// the ERP's status before the site order, order-ingest's decision after the ERP's delivery.
@Suite("status-notifier: end to end, across topics in any order", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/kcat"), "run scripts/setup.sh for kcat"))
struct SiteOrderWaitEndToEndTests {
    /// Publishes `file` (a path from the repository, or absolute) on `topic` under `key` as
    /// `type` version `version`, with kcat and the Java default partitioner; kcat's exit status.
    static func kcat(_ brokers: String, topic: String, key: String, type: String, version: Int, file: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/kcat")
        process.arguments = ["-P", "-b", brokers, "-t", topic, "-k", key, "-X", "partitioner=murmur2_random",
                             "-H", "ce_specversion=1.0", "-H", "ce_id=\(UUID().uuidString)", "-H", "ce_source=test/kcat",
                             "-H", "ce_type=\(type)", "-H", "ce_time=2024-05-04T10:00:00Z", "-H", "content-type=application/json",
                             "-H", "ce_dataschema=urn:commerce-bus:schema:\(type).v\(version)", file]
        process.currentDirectoryURL = Status.repository
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The example at `topics/examples/<name>` with `changes` applied, written to a temporary file.
    static func example(_ name: String, _ changes: [String: Any]) throws -> String {
        let data = try Data(contentsOf: Status.repository.appendingPathComponent("topics/examples/\(name)"))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object.merge(changes) { $1 }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        return file.path
    }

    @Test("erp.order-status before shop.orders: the notification waits and goes in the site order's language; a late 'accepted' after 'delivered' leaves the page on delivered")
    func statusBeforeSiteOrder() throws {
        let flow = StatusNotifier()
        let harness = try FlowHarness(flow: flow, topics: [Topics.shopOrderTracking, Topics.shopNotifications])
        let brokers = harness.cluster.bootstrapServers
        let worker = harness.start(flow)
        defer { worker.stopCleanly() }
        let order = "WEB-100234"

        // The ERP's "shipped" (the example, sequence 4) before the site order (the example, in French).
        #expect(try Self.kcat(brokers, topic: Topics.erpOrderStatus, key: order, type: ERPOrderStatus.messageType, version: 1,
                              file: "topics/examples/erp.order-status.v1.json") == 0)
        #expect(waitUntil(timeout: .seconds(60)) { worker.consumed >= 1 })
        _ = try harness.read(Topics.shopOrderTracking, timeout: .seconds(30)) { $0.count >= 1 }
        #expect(try harness.readAll(Topics.shopNotifications).isEmpty, "the notification waits for the site order")

        #expect(try Self.kcat(brokers, topic: Topics.shopOrders, key: order, type: SiteOrder.messageType, version: 1,
                              file: "topics/examples/shop.order.v1.json") == 0)
        let notified = try harness.read(Topics.shopNotifications, timeout: .seconds(60)) { $0.count >= 1 }.compactMap { $0.message(CustomerNotification.self) }
        #expect(notified.map(\.template) == ["order_shipped"])
        #expect(notified.map(\.language.tag) == ["fr"], "the customer's language, from the site order read after the status")

        // "delivered", then order-ingest's "accepted" read late; and another order's decision before any status.
        let delivered = try Self.example("erp.order-status.v1.json", ["status": "delivered", "sequence": 5, "problems": [] as [Any]])
        #expect(try Self.kcat(brokers, topic: Topics.erpOrderStatus, key: order, type: ERPOrderStatus.messageType, version: 1, file: delivered) == 0)
        let accepted = try Self.example("shop.order-acceptance.v2.json", ["order_number": order, "status": "accepted", "reasons": [] as [Any]])
        #expect(try Self.kcat(brokers, topic: Topics.orderAcceptance, key: order, type: OrderAcceptance.messageType, version: 2, file: accepted) == 0)
        #expect(try Self.kcat(brokers, topic: Topics.orderAcceptance, key: "WEB-100236", type: OrderAcceptance.messageType, version: 2,
                              file: "topics/examples/shop.order-acceptance.v2.json") == 0)
        #expect(waitUntil(timeout: .seconds(60)) { worker.consumed >= 5 })
        let page = try harness.read(Topics.shopOrderTracking, timeout: .seconds(30)) { records in
            records.contains { $0.message(OrderAcceptance.self)?.orderNumber.rawValue == "WEB-100236" }
        }
        let pageOf = page.filter { $0.key == Data(order.utf8) }
        #expect(pageOf.compactMap { $0.message(TrackingUpdate.self)?.status } == [.shipped, .delivered])
        #expect(pageOf.allSatisfy { $0.message(OrderAcceptance.self) == nil }, "the late 'accepted' is not shown after the ERP's progress")
        #expect(page.filter { $0.key == Data("WEB-100236".utf8) }.compactMap { $0.message(OrderAcceptance.self)?.status } == [.cancelled],
                "a decision before any ERP status is shown")
        #expect(try harness.readAll(flow.deadLetterTopic).isEmpty)
        #expect(worker.failure == nil)
    }
}
