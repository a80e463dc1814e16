import BusSchema
import Foundation
import StatusNotifierFlow
import Testing

/// Order progress: monotonic, cancelled final, problems without going backwards.
@Suite("status-notifier: progress")
struct StatusRuleTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var current: OrderStatus?
        var incoming: OrderStatus
        var shown: OrderStatus
        var testDescription: String {
            "\(current?.rawValue ?? "nothing") then \(incoming.rawValue): shows \(shown.rawValue)"
        }
    }

    @Test("a newer status never moves the order backwards; cancelled is final; partly shipped then cancelled (the rest) stays partly shipped", arguments: [
        Row(current: nil, incoming: .shipped, shown: .shipped),
        Row(current: .validated, incoming: .inPreparation, shown: .inPreparation),
        Row(current: .inPreparation, incoming: .partiallyShipped, shown: .partiallyShipped),
        Row(current: .partiallyShipped, incoming: .shipped, shown: .shipped),
        Row(current: .shipped, incoming: .delivered, shown: .delivered),
        Row(current: .validated, incoming: .delivered, shown: .delivered),
        Row(current: .shipped, incoming: .inPreparation, shown: .shipped),
        Row(current: .delivered, incoming: .validated, shown: .delivered),
        Row(current: .inPreparation, incoming: .cancelled, shown: .cancelled),
        Row(current: .shipped, incoming: .cancelled, shown: .cancelled),
        Row(current: .cancelled, incoming: .shipped, shown: .cancelled),
        Row(current: .cancelled, incoming: .delivered, shown: .cancelled),
        Row(current: .delivered, incoming: .cancelled, shown: .delivered),
        Row(current: .partiallyShipped, incoming: .cancelled, shown: .partiallyShipped),
    ])
    func progression(_ row: Row) {
        #expect(Progression.next(current: row.current, incoming: row.incoming) == row.shown)
    }

    struct Scenario: Sendable, CustomTestStringConvertible {
        var sentence: String
        var statuses: [ERPOrderStatus]
        /// Every tracking update sent, in order (see `NotifierBench.line`).
        var tracking: [String]
        /// Every notification's template, in order.
        var notifications: [String]
        var testDescription: String { sentence }
    }

    static let scenarios: [Scenario] = [
        Scenario(sentence: "in order: one tracking update per status, notifications for the listed transitions",
                 statuses: [Status.status(1, .validated), Status.status(2, .inPreparation), Status.status(3, .shipped), Status.status(4, .delivered)],
                 tracking: ["confirmed", "in_preparation", "shipped parcels=1", "delivered parcels=1"],
                 notifications: ["order_confirmed", "order_shipped", "order_delivered"]),
        Scenario(sentence: "out of order: an older status changes nothing",
                 statuses: [Status.status(3, .shipped), Status.status(1, .validated), Status.status(2, .inPreparation), Status.status(4, .delivered)],
                 tracking: ["shipped parcels=1", "delivered parcels=1"],
                 notifications: ["order_shipped", "order_delivered"]),
        Scenario(sentence: "a repeated status changes nothing",
                 statuses: [Status.status(1, .validated), Status.status(1, .validated), Status.status(2, .validated)],
                 tracking: ["confirmed"],
                 notifications: ["order_confirmed"]),
        Scenario(sentence: "a newer sequence with a lower status keeps the status but brings its news",
                 statuses: [Status.status(3, .shipped), Status.status(4, .inPreparation, shipments: [], problems: [Status.stockOut()])],
                 tracking: ["shipped parcels=1", "shipped delay=stock_out parcels=1 expected=2024-05-20"],
                 notifications: ["order_shipped", "order_delayed"]),
        Scenario(sentence: "cancelled is final",
                 statuses: [Status.status(1, .validated), Status.status(2, .cancelled), Status.status(3, .shipped), Status.status(4, .delivered)],
                 tracking: ["confirmed", "cancelled"],
                 notifications: ["order_confirmed", "order_cancelled"]),
        Scenario(sentence: "a cancellation after delivery is ignored",
                 statuses: [Status.status(4, .delivered), Status.status(5, .cancelled)],
                 tracking: ["delivered parcels=1"],
                 notifications: ["order_delivered"]),
        Scenario(sentence: "a stock-out with an expected date is notified without moving the status",
                 statuses: [Status.status(2, .inPreparation), Status.status(3, .inPreparation, problems: [Status.stockOut()])],
                 tracking: ["in_preparation", "in_preparation delay=stock_out expected=2024-05-20"],
                 notifications: ["order_delayed"]),
        Scenario(sentence: "the same problem in later statuses is notified once; its new date is shown",
                 statuses: [Status.status(3, .inPreparation, problems: [Status.stockOut()]), Status.status(4, .inPreparation, problems: [Status.stockOut(expected: "2024-05-27")])],
                 tracking: ["in_preparation delay=stock_out expected=2024-05-20", "in_preparation delay=stock_out expected=2024-05-27"],
                 notifications: ["order_delayed"]),
        Scenario(sentence: "a payment issue is notified and shown as the delay",
                 statuses: [Status.status(1, .validated, problems: [OrderProblem(kind: .paymentIssue)])],
                 tracking: ["confirmed delay=payment_issue"],
                 notifications: ["order_confirmed", "order_payment_issue"]),
        Scenario(sentence: "a problem solved: the delay goes, nothing is notified",
                 statuses: [Status.status(2, .inPreparation, problems: [Status.stockOut()]), Status.status(3, .inPreparation)],
                 tracking: ["in_preparation delay=stock_out expected=2024-05-20", "in_preparation"],
                 notifications: ["order_delayed"]),
        Scenario(sentence: "problems of a delivered order are not shown",
                 statuses: [Status.status(4, .delivered, problems: [OrderProblem(kind: .addressIssue)])],
                 tracking: ["delivered parcels=1"],
                 notifications: ["order_delivered"]),
        Scenario(sentence: "partial shipments are tracked parcel by parcel; the shipping transitions notified once each",
                 statuses: [
                     Status.status(3, .partiallyShipped, shipments: [Status.shipment("SHP-1")]),
                     Status.status(4, .partiallyShipped, shipments: [Status.shipment("SHP-1"), Status.shipment("SHP-2", lines: [(2, "MUG-CERAMIC-WHT", "1")], at: 40)]),
                     Status.status(5, .shipped, shipments: [Status.shipment("SHP-1"), Status.shipment("SHP-2", lines: [(2, "MUG-CERAMIC-WHT", "1")], at: 40), Status.shipment("SHP-3", at: 50)]),
                 ],
                 tracking: ["partially_shipped parcels=1", "partially_shipped parcels=2", "shipped parcels=3"],
                 notifications: ["order_partially_shipped", "order_shipped"]),
        Scenario(sentence: "a newer status that changes nothing visible sends nothing",
                 statuses: [Status.status(2, .inPreparation), Status.status(3, .inPreparation)],
                 tracking: ["in_preparation"],
                 notifications: []),
    ]

    @Test("statuses", arguments: scenarios)
    func statuses(_ scenario: Scenario) throws {
        let bench = NotifierBench()
        for status in scenario.statuses { try bench.send(status) }
        #expect(bench.trackingLines == scenario.tracking)
        #expect(bench.notifications.map(\.template.rawValue) == scenario.notifications)
        for update in bench.tracking {
            #expect(Status.codec.problems(TrackingUpdate.self, in: Status.codec.encode(update)).isEmpty, "\(NotifierBench.line(update)) is valid")
        }
        for notification in bench.notifications {
            #expect(Status.codec.problems(CustomerNotification.self, in: Status.codec.encode(notification)).isEmpty)
        }
        #expect(Set(bench.notifications.map(\.notificationID)).count == bench.notifications.count, "never two notifications for one transition")
    }

    @Test("partial shipments keep each parcel's lines and quantities; a later version of a parcel replaces it")
    func parcels() throws {
        let bench = NotifierBench()
        try bench.send(Status.status(3, .partiallyShipped, shipments: [Status.shipment("SHP-1", lines: [(1, "TSHIRT-BLU-M", "1")])]))
        try bench.send(Status.status(4, .partiallyShipped, shipments: [Status.shipment("SHP-2", lines: [(2, "MUG-CERAMIC-WHT", "1")], at: 40)]))
        try bench.send(Status.status(5, .shipped, shipments: [Status.shipment("SHP-1", lines: [(1, "TSHIRT-BLU-M", "2")])]))
        let last = try #require(bench.tracking.last)
        #expect(last.shipments.map(\.shipmentID) == ["SHP-1", "SHP-2"], "a parcel once shown is never lost")
        #expect(last.shipments.map { $0.lines.map { "\($0.lineNumber)×\($0.quantity)" } } == [["1×2"], ["2×1"]])
    }
}
