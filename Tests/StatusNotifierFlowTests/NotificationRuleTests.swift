import BusSchema
import Foundation
import StatusNotifierFlow
import Testing

/// Notifications: the template the rules list, the customer's language, the values the
/// template needs and nothing more.
@Suite("status-notifier: notifications")
struct NotificationRuleTests {
    static let rules: StatusNotifierRules = {
        var rules = StatusNotifierRules.defaults
        rules.carrierNames = ["colissimo": "Colissimo"]
        rules.transitDays = ["colissimo": 3]
        rules.notifications[.invoiceIssued] = "invoice_available"
        return rules
    }()

    struct ParameterRow: Sendable, CustomTestStringConvertible {
        var sentence: String
        var status: ERPOrderStatus
        var template: String
        var parameters: [String: String]
        var testDescription: String { sentence }
    }

    @Test("each transition's notification carries what its template needs", arguments: [
        ParameterRow(sentence: "confirmed: the acknowledgement", status: Status.status(1, .validated, documents: [Status.acknowledgement]), template: "order_confirmed",
                     parameters: ["acknowledgement_number": "CV-2024-044120", "acknowledgement_url": "https://erp.example.com/documents/CV-2024-044120.pdf"]),
        ParameterRow(sentence: "shipped: carrier as customers read it, tracking, expected date from the transit days", status: Status.status(3, .shipped), template: "order_shipped",
                     parameters: ["carrier": "Colissimo", "tracking_number": "6A100", "tracking_url": "https://track.example.com/SHP-1", "expected_on": "2024-05-07"]),
        ParameterRow(sentence: "partially shipped: the newest parcel", status: Status.status(3, .partiallyShipped, shipments: [Status.shipment("SHP-1"), Status.shipment("SHP-2", carrier: "dhl", at: 40)]),
                     template: "order_partially_shipped",
                     parameters: ["carrier": "dhl", "tracking_number": "6A200", "tracking_url": "https://track.example.com/SHP-2"]),
        ParameterRow(sentence: "delivered: the day", status: Status.status(4, .delivered), template: "order_delivered", parameters: ["delivered_on": "2024-05-05"]),
        ParameterRow(sentence: "cancelled: nothing more than the order", status: Status.status(2, .cancelled), template: "order_cancelled", parameters: [:]),
    ])
    func parameters(_ row: ParameterRow) throws {
        let bench = NotifierBench(Self.rules)
        try bench.send(row.status)
        let notification = try #require(bench.notifications.first)
        #expect(notification.template.rawValue == row.template)
        #expect(notification.parameters == row.parameters)
    }

    @Test("a stock-out names the article and the expected date")
    func stockOut() throws {
        let bench = NotifierBench(Self.rules)
        try bench.send(Status.status(2, .inPreparation, problems: [Status.stockOut()]))
        #expect(bench.notifications.map(\.parameters) == [["sku": "MUG-CERAMIC-WHT", "expected_on": "2024-05-20"]])
    }

    @Test("the tracking update shows the expected delivery from the carrier's transit days")
    func expectedDelivery() throws {
        let bench = NotifierBench(Self.rules)
        try bench.send(Status.status(3, .shipped))
        #expect(bench.tracking.first?.expectedDeliveryOn == LocalDate("2024-05-07"))
    }

    @Test("only the transitions the rules list are notified")
    func onlyListed() throws {
        var rules = StatusNotifierRules.defaults
        rules.notifications = [.delivered: "order_delivered"]
        let bench = NotifierBench(rules)
        for status in [Status.status(1, .validated), Status.status(3, .shipped), Status.status(4, .delivered)] { try bench.send(status) }
        #expect(bench.notifications.map(\.template) == ["order_delivered"])
        #expect(bench.tracking.count == 3, "the site still sees every step")
    }

    struct LanguageRow: Sendable, CustomTestStringConvertible {
        var customer: String?
        var order: String?
        var supported: [String]
        var chosen: String?
        var testDescription: String {
            "customer \(customer ?? "unknown"), order \(order ?? "unknown"), templates in \(supported.isEmpty ? "every language" : supported.joined(separator: "/")): \(chosen ?? "none")"
        }
    }

    @Test("the language is the customer's, else the order's, else the fallback, among those with templates", arguments: [
        LanguageRow(customer: "de", order: "fr", supported: [], chosen: "de"),
        LanguageRow(customer: nil, order: "fr", supported: [], chosen: "fr"),
        LanguageRow(customer: nil, order: nil, supported: [], chosen: "en"),
        LanguageRow(customer: "de", order: "fr", supported: ["fr", "en"], chosen: "fr"),
        LanguageRow(customer: "de", order: "it", supported: ["fr", "en"], chosen: "en"),
        LanguageRow(customer: "fr-BE", order: nil, supported: ["fr", "en"], chosen: "fr"),
        LanguageRow(customer: "fr-BE", order: nil, supported: ["fr-BE", "fr"], chosen: "fr-BE"),
    ])
    func language(_ row: LanguageRow) {
        let pick = LanguageChoice.pick(customer: row.customer.flatMap(LanguageCode.init), order: row.order.flatMap(LanguageCode.init),
                                       supported: row.supported.compactMap(LanguageCode.init), fallback: LanguageCode("en"))
        #expect(pick?.tag == row.chosen)
    }

    @Test("no fallback configured: the first language known, even without templates")
    func noFallback() {
        #expect(LanguageChoice.pick(customer: nil, order: LanguageCode("it"), supported: [LanguageCode("fr")].compactMap { $0 }, fallback: nil)?.tag == "it")
        #expect(LanguageChoice.pick(customer: nil, order: nil, supported: [], fallback: nil) == nil)
    }

    @Test("the customer's language comes from their site account, the order's from the site order")
    func languageSources() throws {
        let bench = NotifierBench()
        try bench.send(Status.siteOrder(language: "fr"))
        try bench.send(Status.status(1, .validated))
        bench.tables = StaticTables([Topics.shopCustomers: ["acc_8f3k2m9q": try Status.customer(language: "de")]])
        try bench.send(Status.status(3, .shipped))
        #expect(bench.notifications.map(\.language.tag) == ["fr", "de"])
        #expect(bench.notifications.allSatisfy { $0.siteAccountID == "acc_8f3k2m9q" })
    }

    @Test("a guest's notification has no site account; before the site order, the fallback language")
    func guest() throws {
        let bench = NotifierBench()
        try bench.send(Status.status(1, .validated))
        try bench.send(Status.siteOrder(language: "it", account: nil))
        try bench.send(Status.status(3, .shipped))
        #expect(bench.notifications.map(\.language.tag) == ["en", "it"])
        #expect(bench.notifications.allSatisfy { $0.siteAccountID == nil })
    }

    @Test("a notification's id comes from the order and the transition; its time from the status")
    func identity() throws {
        let bench = NotifierBench()
        try bench.send(Status.status(3, .shipped))
        try bench.send(Status.status(5, .inPreparation, problems: [Status.stockOut()]))
        #expect(bench.notifications.map(\.notificationID) == ["ntf-WEB-1-shipped", "ntf-WEB-1-stock_out-2-MUG-CERAMIC-WHT"])
        #expect(bench.notifications.first?.createdAt == Status.at(30))
        #expect(bench.notifications.allSatisfy { $0.channel == .email })
    }

    @Test("an invoice is shown on the order page and notified when the rules list it, once")
    func invoice() throws {
        let bench = NotifierBench(Self.rules)
        try bench.send(Status.status(3, .shipped, documents: [Status.acknowledgement]))
        let outputs = try bench.send(Status.invoice("FA-2024-018345"))
        #expect(outputs.map(\.topic) == [Topics.shopOrderTracking, Topics.shopNotifications])
        let update = try #require(bench.tracking.last)
        #expect(update.documents?.map(\.number) == ["CV-2024-044120", "FA-2024-018345"])
        #expect(update.documents?.last?.url == "https://erp.example.com/documents/FA-2024-018345.pdf")
        #expect(update.sequence == 3, "the ERP's sequence: no status came")
        #expect(bench.notifications.last?.parameters == ["invoice_number": "FA-2024-018345", "invoice_url": "https://erp.example.com/documents/FA-2024-018345.pdf"])
        #expect(try bench.send(Status.invoice("FA-2024-018345")).isEmpty, "the same invoice again")
    }

    @Test("an invoice before any status waits in the state and shows with the first status")
    func invoiceFirst() throws {
        let bench = NotifierBench()
        #expect(try bench.send(Status.invoice("FA-1")).isEmpty, "no status yet: nothing to show, invoices not notified by default")
        try bench.send(Status.status(3, .shipped))
        #expect(bench.tracking.first?.documents?.map(\.number) == ["FA-1"])
    }

    @Test("documents the rules do not list are not shown")
    func documentKinds() throws {
        var rules = StatusNotifierRules.defaults
        rules.documents = [.invoice]
        let bench = NotifierBench(rules)
        try bench.send(Status.status(1, .validated, documents: [Status.acknowledgement]))
        #expect(bench.tracking.first?.documents == nil)
    }
}
