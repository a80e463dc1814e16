import BusRuntime
import BusSchema
import Foundation
import StatusNotifierFlow
import Testing

extension StatusNotifierRules: FlowRules {}

/// The flow as the runtime calls it: idempotence, rejections, what it ignores, resync.
@Suite("status-notifier: handler")
struct NotifierHandlerTests {
    @Test("a redelivered input produces nothing and changes no state, whatever it was")
    func redelivery() throws {
        let bench = NotifierBench()
        let inputs: [any BusMessage] = [
            try Status.siteOrder(), Status.status(1, .validated), Status.status(3, .shipped, problems: [Status.stockOut()]),
            Status.invoice("FA-1"), Status.status(4, .delivered),
        ]
        for (index, message) in inputs.enumerated() {
            try bench.send(message, id: "in-\(index)")
            let kept = bench.store.snapshot
            #expect(try bench.send(message, id: "in-\(index)").isEmpty, "\(type(of: message)) again")
            #expect(bench.store.snapshot == kept)
        }
        #expect(bench.notifications.map(\.template) == ["order_confirmed", "order_shipped", "order_delayed", "order_delivered"])
    }

    @Test("order changes and cancellation requests produce nothing")
    func ignored() throws {
        let bench = NotifierBench()
        let cancellation = CancellationRequest(requestID: "req-1", orderNumber: "WEB-1", requestedAt: Status.start, requestedBy: .customer, reason: .customerRequest, lines: [])
        #expect(try bench.send(cancellation).isEmpty)
        #expect(bench.store.count == 0)
    }

    @Test("a resync sends again what each order page was last sent")
    func resync() throws {
        let bench = NotifierBench()
        try bench.send(Status.status(3, .shipped), key: "WEB-1")
        try bench.send(Status.status(1, .validated, order: "WEB-2"), key: "WEB-2")
        var state = FlowState(store: bench.store)
        let outputs = bench.flow.control(.resync(keys: nil), state: &state, tables: StaticTables())
        #expect(outputs.map(\.key) == ["WEB-1", "WEB-2"])
        #expect(outputs.compactMap { ($0.message as? TrackingUpdate).map(NotifierBench.line) } == ["shipped parcels=1", "confirmed"])
        #expect(state.changes.isEmpty)
    }
}

/// The rules file: documented defaults, only what changes listed, mistakes named.
@Suite("status-notifier: rules file")
struct NotifierRulesFileTests {
    static func load(_ json: String) throws(RuntimeError) -> StatusNotifierRules {
        try RulesFile.decode(StatusNotifierRules.self, from: Data(json.utf8), path: "status-notifier.json")
    }

    @Test("an empty file gives the documented defaults")
    func defaults() throws {
        let rules = try Self.load("{}")
        #expect(rules == .defaults)
        #expect(rules.template(for: .shipped) == "order_shipped")
        #expect(rules.template(for: .inPreparation) == nil)
        #expect(rules.template(for: .invoiceIssued) == nil)
        #expect(rules.fallbackLanguage?.tag == "en")
        #expect(rules.channel == .email)
        #expect(rules.documents == [.acknowledgement, .invoice, .creditNote])
        #expect(rules.siteOrderWaitMinutes == 1_440, "a notification waits a day for its site order")
    }

    @Test("a file lists only what it changes; a notifications object lists every transition notified")
    func partial() throws {
        let rules = try Self.load(#"{"notifications": {"shipped": "colis_parti"}, "languages": ["fr", "en"], "transit_days": {"colissimo": 2}}"#)
        #expect(rules.notifications == [.shipped: "colis_parti"])
        #expect(rules.languages.map(\.tag) == ["fr", "en"])
        #expect(rules.transitDays == ["colissimo": 2])
        #expect(rules.fallbackLanguage?.tag == "en")
    }

    @Test("a mistake is named by its field", arguments: [
        (#"{"notifications": {"shippd": "order_shipped"}}"#, "notifications"),
        (#"{"notifications": {"shipped": "order shipped"}}"#, "notifications"),
        (#"{"languages": ["french"]}"#, "languages"),
        (#"{"fallback_language": null}"#, "fallback_language"),
        (#"{"channel": "pigeon"}"#, "channel"),
        (#"{"transit_days": {"dhl": -1}}"#, "transit_days"),
        (#"{"documents": ["receipt"]}"#, "documents"),
        (#"{"site_order_wait_minutes": -1}"#, "site_order_wait_minutes"),
        (#"{"site_order_wait_minutes": 43201}"#, "site_order_wait_minutes"),
    ])
    func invalid(_ json: String, _ field: String) {
        do {
            _ = try Self.load(json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.context["field"]?.hasPrefix(field) == true, "\(error.context["field"] ?? "no field")")
        }
    }
}
