import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import StatusNotifierFlow
import Testing

/// The worker on the embedded cluster, its inputs published by a plain producer as the site
/// and the ERP would. Serialized: each test owns a cluster.
@Suite("status-notifier: end to end", .serialized)
struct NotifierEndToEndTests {
    static let outputs = [Topics.shopOrderTracking, Topics.shopNotifications]

    @Test("500 orders' statuses shuffled with duplicates: one tracking update and at most one notification per transition")
    func fiveHundredOrders() throws {
        let traffic = try StatusTraffic(count: 500, seed: 3)
        let flow = StatusNotifier()
        let harness = try FlowHarness(flow: flow, topics: Self.outputs)
        // The site places its orders first, as it does: the language of each is known.
        try harness.publish(traffic.siteOrderRecords)
        let worker = harness.start(flow)
        #expect(waitUntil(timeout: .seconds(30)) { worker.consumed >= traffic.orders.count })
        try harness.publish(traffic.erpRecords(seed: 9, withInvoices: false))

        var tracking: [TrackingUpdate] = []
        var seen = 0
        let finals = Dictionary(uniqueKeysWithValues: traffic.orders.map { (OrderNumber($0.number), traffic.finalStatus(of: $0)) })
        _ = try harness.read(Topics.shopOrderTracking, timeout: .seconds(300)) { records in
            tracking += records[seen...].compactMap { $0.message(TrackingUpdate.self) }
            seen = records.count
            var last: [OrderNumber: TrackingStatus] = [:]
            for update in tracking { last[update.orderNumber] = update.status }
            return last.count == finals.count && last.allSatisfy { finals[$0.key] == $0.value }
        }
        let notifications = try harness.readAll(Topics.shopNotifications).compactMap { $0.message(CustomerNotification.self) }
        let letters = try harness.readAll(flow.deadLetterTopic)
        worker.stopCleanly()

        #expect(worker.failure == nil)
        traffic.check(tracking: tracking, notifications: notifications)
        #expect(Set(notifications.map(\.notificationID)).count == notifications.count, "no notification twice")
        #expect(letters.isEmpty, "nothing refused")
        let committed = try harness.committed()
        for (partition, end) in try harness.inputEnds() {
            #expect(committed[partition] == end, "\(partition) committed to its end after the clean stop")
        }
    }

    @Test("kill and restart: a crashed worker's successor leaves every order page the same and notifies the same transitions")
    func killAndRestart() throws {
        let traffic = try StatusTraffic(count: 200, seed: 17)
        let inputs = traffic.siteOrderRecords + traffic.erpRecords(seed: 4)
        let orders = traffic.orders.count
        let settled: (KillAndRestart.Outcome) -> Bool = { outcome in
            let finals = Dictionary(uniqueKeysWithValues: traffic.orders.map { ("\(Topics.shopOrderTracking)|\($0.number)", traffic.finalStatus(of: $0)) })
            let shown = outcome.finalValues.filter { $0.key.hasPrefix(Topics.shopOrderTracking) }
            // Pages alone are not enough: a page goes out at once, while a notification waits
            // for its site order (`SiteOrderWait`), and the ERP's statuses may all be read
            // before the site orders. Every order's final transition is notified.
            let notifiedOrders = Set(outcome.byID.values.filter { $0.topic == Topics.shopNotifications }.compactMap { record in
                record.value.flatMap { try? Status.codec.decode(CustomerNotification.self, from: $0) }?.orderNumber
            })
            return notifiedOrders.count == orders && shown.count == orders && shown.allSatisfy { key, value in
                value.flatMap { try? Status.codec.decode(TrackingUpdate.self, from: $0) }?.status == finals[key] ?? nil
            }
        }
        let (reference, crashed) = try KillAndRestart.run(
            flow: StatusNotifier(), topics: [], inputs: inputs, outputs: Self.outputs, crashAfter: 500, settled: settled)

        for (name, outcome) in [("reference", reference), ("crashed", crashed)] {
            #expect(outcome.conflicting.isEmpty, "\(name): one id, one content: \(outcome.conflicts.prefix(2))")
        }
        let pages = { (outcome: KillAndRestart.Outcome) in outcome.finalValues.filter { $0.key.hasPrefix(Topics.shopOrderTracking) } }
        #expect(pages(reference) == pages(crashed), "every order page ends the same, byte for byte")
        #expect(Self.notified(reference) == Self.notified(crashed), "the same transitions notified")
        #expect(!Self.notified(reference).isEmpty)
    }

    /// The notification ids of a run: what the mailer sends, once each.
    static func notified(_ outcome: KillAndRestart.Outcome) -> Set<EventID> {
        Set(outcome.byID.values.filter { $0.topic == Topics.shopNotifications }.compactMap { record in
            record.value.flatMap { try? Status.codec.decode(CustomerNotification.self, from: $0) }?.notificationID
        })
    }
}
