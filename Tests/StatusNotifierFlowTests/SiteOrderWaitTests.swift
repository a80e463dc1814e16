import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import StatusNotifierFlow
import Testing

/// Kafka keeps no order across topics: the ERP's news of an order (`erp.order-status`,
/// `erp.invoices`) can be read before the site order (`shop.orders`), and order-ingest's
/// decision (`bus.order-acceptance`) after the ERP's statuses. Whatever the order of arrival
/// (within the wait), the customer is told each step once, in their language, and the order's
/// page ends on the ERP's progress, never on a late decision.
@Suite("status-notifier: every order of arrival")
struct SiteOrderWaitTests {
    static let topics: Set<String> = [Topics.shopOrders, Topics.erpOrderStatus, Topics.erpInvoices]
    static let key = OrderLives.number(0).rawValue

    /// Order 0's life (a guest's order in French: placed, validated, shipped and invoiced,
    /// delivered) and order-ingest's acceptance a second after the placement, in time order.
    static let life: [FlowInput] = {
        var inputs = OrderLives.life(0, placedAt: OrderLives.start, topics: topics)
        let accepted = OrderAcceptance(orderNumber: OrderLives.number(0), status: .accepted, reasons: [], decidedAt: OrderLives.start.adding(seconds: 1))
        inputs.insert(OrderLives.input(accepted, topic: Topics.orderAcceptance, key: key, name: "a-0", at: OrderLives.start.adding(seconds: 1)), at: 1)
        return inputs
    }()

    /// Every arrangement of the life in which the ERP's statuses keep their own order (one
    /// topic, one partition: Kafka keeps that order) and the site order, the acceptance and the
    /// invoice come anywhere: 6!/3! = 120.
    static let arrangements: [[Int]] = {
        let statuses = life.indices.filter { life[$0].topic == Topics.erpOrderStatus }
        func permutations(_ items: [Int]) -> [[Int]] {
            items.count <= 1 ? [items] : items.indices.flatMap { index in
                var rest = items
                let first = rest.remove(at: index)
                return permutations(rest).map { [first] + $0 }
            }
        }
        return permutations(Array(life.indices)).filter { order in order.filter(statuses.contains) == statuses }
    }()

    /// The flow, its notifications waiting a week for the site order: longer than the life,
    /// so every arrangement is within the wait.
    static let flow: StatusNotifier = {
        var rules = StatusNotifierRules.defaults
        rules.siteOrderWaitMinutes = 7 * 24 * 60
        return StatusNotifier(rules: rules)
    }()

    static func run(_ arrangement: [Int]) throws -> FlowTimeline<StatusNotifier> {
        var timeline = FlowTimeline(flow: flow)
        for index in arrangement { try timeline.feed(life[index], tables: StaticTables([:])) }
        return timeline
    }

    static func name(_ arrangement: [Int]) -> String {
        arrangement.map { index in
            switch life[index].message {
            case is SiteOrder: "order"
            case is OrderAcceptance: "accepted"
            case is ERPInvoice: "invoice"
            case let status as ERPOrderStatus: status.status.rawValue
            default: "?"
            }
        }.joined(separator: " ")
    }

    /// The notifications of a run's outputs, by id, as written.
    static func notifications(_ outputs: [FlowTimeline<StatusNotifier>.Written]) -> [String: Data?] {
        Dictionary(outputs.filter { $0.topic == Topics.shopNotifications }.map { ($0.id ?? "", $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The outputs of the life in time order.
    static let straight = (try? run(Array(life.indices)).outputs) ?? []

    @Test("the arrangements: 120, the time order among them")
    func arrangementsAreEveryOrder() throws {
        #expect(Self.arrangements.count == 120)
        #expect(Set(Self.arrangements).count == 120)
        #expect(Self.arrangements.contains(Array(Self.life.indices)))
        let notifications = Self.straight.filter { $0.topic == Topics.shopNotifications }
        #expect(notifications.count == 3, "confirmed, shipped, delivered")
    }

    @Test("each arrangement: the same notifications, byte for byte, in French; no exception; the page ends on delivered, no decision after the ERP's first status",
          arguments: arrangements.map(name))
    func everyOrderOfArrival(_ name: String) throws {
        let arrangement = try #require(Self.arrangements.first { Self.name($0) == name })
        let straight = Self.straight
        let timeline = try Self.run(arrangement)

        let notifications = timeline.outputs.filter { $0.topic == Topics.shopNotifications }
        let languages = try notifications.map { try MessageCodec().decode(CustomerNotification.self, from: try #require($0.value)).language.tag }
        #expect(languages == ["fr", "fr", "fr"], "the site order's language, whenever it came")
        #expect(Self.notifications(timeline.outputs) == Self.notifications(straight), "the same ids with the same content")
        #expect(timeline.outputs.allSatisfy { $0.topic != Topics.exceptions })

        let page = timeline.outputs.filter { $0.topic == Topics.shopOrderTracking }
        #expect(page.last?.value == straight.last { $0.topic == Topics.shopOrderTracking }?.value, "the page's last value: delivered")
        // A decision is told by its `decided_at`, a tracking update by its `sequence`.
        let decisions = try page.map { output in
            let object = try JSONSerialization.jsonObject(with: try #require(output.value)) as? [String: Any]
            return object?["decided_at"] != nil
        }
        if let first = decisions.firstIndex(of: false) {
            #expect(!decisions[first...].contains(true), "no decision after the ERP's first status: \(decisions)")
        }
        #expect(decisions.filter { $0 }.count <= 1)
    }

    @Test("a worker killed while a notification waits: its successor, restored from the changelog, sends it with the site order")
    func waitingSurvivesARestart() throws {
        let status = try #require(Self.life.first { $0.topic == Topics.erpOrderStatus })
        let order = try #require(Self.life.first { $0.topic == Topics.shopOrders })
        var crashed = FlowTimeline(flow: Self.flow)
        try crashed.feed(status, tables: StaticTables([:]))
        #expect(crashed.outputs.map(\.topic) == [Topics.shopOrderTracking], "the page at once, the notification waits")

        var successor = try FlowTimeline(flow: Self.flow, restoring: crashed.changelog)
        try successor.feed(order, tables: StaticTables([:]))
        let sent = try successor.outputs.map { try MessageCodec().decode(CustomerNotification.self, from: try #require($0.value)) }
        #expect(sent.map(\.template) == ["order_confirmed"])
        #expect(sent.map(\.language.tag) == ["fr"])
    }
}

/// The wait is bounded: past `site_order_wait_minutes` of the partition's clock, what waits
/// goes out in the language known (the fallback) with an exception, once.
@Suite("status-notifier: the wait for the site order")
struct SiteOrderWaitLimitTests {
    static let key = OrderLives.number(0).rawValue

    static func flow(minutes: Int = 60) -> StatusNotifier {
        var rules = StatusNotifierRules.defaults
        rules.siteOrderWaitMinutes = minutes
        return StatusNotifier(rules: rules)
    }

    static func status(_ status: OrderStatus, sequence: Int, at: Instant) -> FlowInput {
        OrderLives.input(OrderLives.status(0, status, sequence: sequence, at: at), topic: Topics.erpOrderStatus, key: key, name: "s-\(sequence)", at: at)
    }

    @Test("no site order within the wait: the notifications go out in the fallback language with one exception; the site order read later sends nothing again")
    func waitRunsOut() throws {
        let start = OrderLives.start
        var timeline = FlowTimeline(flow: Self.flow())
        try timeline.feed(Self.status(.validated, sequence: 1, at: start), tables: StaticTables([:]))
        try timeline.feed(Self.status(.shipped, sequence: 2, at: start.adding(seconds: 600)), tables: StaticTables([:]))
        #expect(timeline.outputs.allSatisfy { $0.topic == Topics.shopOrderTracking }, "both wait")
        try timeline.advance(to: start.adding(seconds: 3_599), tables: StaticTables([:]))
        #expect(timeline.outputs.allSatisfy { $0.topic == Topics.shopOrderTracking }, "the wait counts from the first one held")

        try timeline.advance(to: start.adding(seconds: 3_600), tables: StaticTables([:]))
        let late = timeline.outputs.filter { $0.topic != Topics.shopOrderTracking }
        #expect(late.map(\.topic) == [Topics.exceptions, Topics.shopNotifications, Topics.shopNotifications])
        let exception = try MessageCodec().decode(BusinessException.self, from: try #require(late.first?.value))
        #expect(exception.details["reason_code"] == "site_order_missing")
        #expect(exception.details["notifications"] == "2")
        #expect(exception.entity.key == Self.key)
        let sent = try late.dropFirst().map { try MessageCodec().decode(CustomerNotification.self, from: try #require($0.value)) }
        #expect(sent.map(\.template) == ["order_confirmed", "order_shipped"])
        #expect(sent.map(\.language.tag) == ["en", "en"], "the fallback: nothing better is known")
        #expect(timeline.store[Self.key]?.waiting == nil)

        let before = timeline.outputs.count
        try timeline.feed(OrderLives.input(OrderLives.siteOrder(0, at: start), topic: Topics.shopOrders, key: Self.key, name: "o-0",
                                           at: start.adding(seconds: 4_000)), tables: StaticTables([:]))
        #expect(timeline.outputs.count == before, "told once: the late site order sends nothing again")
        try timeline.feed(Self.status(.delivered, sequence: 3, at: start.adding(seconds: 5_000)), tables: StaticTables([:]))
        let delivered = try MessageCodec().decode(CustomerNotification.self, from: try #require(timeline.outputs.last?.value))
        #expect(delivered.template == "order_delivered" && delivered.language.tag == "fr", "later steps in the site order's language")
    }

    @Test("a wait of 0 minutes: notifications go at once, as before the site order is read")
    func noWait() throws {
        var timeline = FlowTimeline(flow: Self.flow(minutes: 0))
        try timeline.feed(Self.status(.validated, sequence: 1, at: OrderLives.start), tables: StaticTables([:]))
        #expect(timeline.outputs.map(\.topic) == [Topics.shopOrderTracking, Topics.shopNotifications])
    }

    @Test("the customer's language known from the customer table (an order entered in the ERP): no wait")
    func customerKnown() throws {
        var status = OrderLives.status(0, .validated, sequence: 1, at: OrderLives.start)
        status.accountCode = ERPAccountCode("B2B-LUMIERE")
        let tables = StaticTables([
            Topics.customerIdentity: ["acc_a": IdentityLink(siteAccountID: SiteAccountID("acc_a"), erpAccountCode: ERPAccountCode("B2B-LUMIERE"), erpContactID: nil,
                                                            status: .linked, matchedBy: .email, changedAt: OrderLives.start)],
            Topics.shopCustomers: ["acc_a": try Status.customer("acc_a", language: "it")],
        ])
        var timeline = FlowTimeline(flow: Self.flow())
        try timeline.feed(OrderLives.input(status, topic: Topics.erpOrderStatus, key: Self.key, name: "s-1", at: OrderLives.start), tables: tables)
        let sent = try timeline.outputs.filter { $0.topic == Topics.shopNotifications }.map { try MessageCodec().decode(CustomerNotification.self, from: try #require($0.value)) }
        #expect(sent.map(\.language.tag) == ["it"])
        #expect(sent.map(\.siteAccountID?.rawValue) == ["acc_a"])
    }
}

extension SiteOrderWaitLimitTests {
    @Test("what waits goes first once the customer's language comes through the customer table (an order entered in the ERP, its link read late)")
    func customerFoundLater() throws {
        let bench = NotifierBench(siteOrderWait: 1_440)
        var validated = Status.status(1, .validated)
        validated.accountCode = ERPAccountCode("B2B-LUMIERE")
        var shipped = Status.status(3, .shipped)
        shipped.accountCode = ERPAccountCode("B2B-LUMIERE")
        try bench.send(validated)
        #expect(bench.notifications.isEmpty, "no site order, no customer known: it waits")
        bench.tables = StaticTables([
            Topics.customerIdentity: ["acc_a": IdentityLink(siteAccountID: SiteAccountID("acc_a"), erpAccountCode: ERPAccountCode("B2B-LUMIERE"), erpContactID: nil,
                                                            status: .linked, matchedBy: .email, changedAt: Status.at(0))],
            Topics.shopCustomers: ["acc_a": try Status.customer("acc_a", language: "it")],
        ])
        try bench.send(shipped)
        #expect(bench.notifications.map(\.template) == ["order_confirmed", "order_shipped"])
        #expect(bench.notifications.map(\.language.tag) == ["it", "it"])
        #expect(bench.store["WEB-1"]?.waiting == nil)
    }
}

/// One writer for `shop.order-tracking`: status-notifier shows order-ingest's decision until
/// the ERP's first status, never after, so the page never goes back.
@Suite("status-notifier: the order's page from order-ingest's decision to the ERP's progress")
struct AcceptanceOnThePageTests {
    static func decision(_ status: AcceptanceStatus) -> OrderAcceptance {
        let reasons = status == .held ? [AcceptanceReason(code: .unknownSku, lineNumber: 2, message: "SKU POSTER-A2-OLD is not in the published catalogue")] : []
        return OrderAcceptance(orderNumber: "WEB-1", status: status, reasons: reasons, decidedAt: Status.at(0))
    }

    /// An input of a sequence: a decision (by its status) or an ERP status ("erp:shipped").
    static func message(_ word: String) -> any BusMessage {
        let statuses: [String: (Int, OrderStatus)] = ["erp:validated": (1, .validated), "erp:shipped": (3, .shipped), "erp:delivered": (4, .delivered)]
        if let (sequence, status) = statuses[word] { return Status.status(sequence, status) }
        return decision(AcceptanceStatus(rawValue: word) ?? .accepted)
    }

    @Test("what the page is sent, input by input", arguments: [
        ("accepted", "accepted"),
        ("accepted erp:validated", "accepted confirmed"),
        ("erp:validated accepted", "confirmed"),
        ("held accepted erp:validated", "held accepted confirmed"),
        ("awaiting_payment erp:validated accepted", "awaiting_payment confirmed"),
        ("accepted erp:shipped erp:delivered accepted", "accepted shipped delivered"),
        ("erp:delivered accepted", "delivered"),
        ("accepted accepted", "accepted"),
        ("held cancelled", "held cancelled"),
    ])
    func page(_ inputs: String, _ shown: String) throws {
        let bench = NotifierBench()
        try bench.send(Status.siteOrder())
        for word in inputs.split(separator: " ") {
            let message = Self.message(String(word))
            if let decision = message as? OrderAcceptance { try bench.send(decision) } else if let status = message as? ERPOrderStatus { try bench.send(status) }
        }
        let page = bench.outputs.filter { $0.topic == Topics.shopOrderTracking }.map { output in
            (output.message as? OrderAcceptance)?.status.rawValue ?? (output.message as? TrackingUpdate)?.status.rawValue ?? "?"
        }
        #expect(page.joined(separator: " ") == shown)
    }

    @Test("a resync of an order the ERP has not reached sends its decision again")
    func resync() throws {
        let bench = NotifierBench()
        try bench.send(Self.decision(.held))
        var state = FlowState(store: bench.store)
        let outputs = bench.flow.control(.resync(keys: nil), state: &state, tables: StaticTables())
        #expect(outputs.map(\.topic) == [Topics.shopOrderTracking])
        #expect((outputs.first?.message as? OrderAcceptance)?.status == .held)
    }
}
