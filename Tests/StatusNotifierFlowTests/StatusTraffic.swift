import BusKafka
import BusSchema
import BusTestKit
import Foundation
import StatusNotifierFlow
import Testing

/// Orders going through the ERP, as it publishes their statuses, and the checks the site's
/// tracking and the customers' notifications must pass.
struct StatusTraffic {
    struct Order {
        var number: String
        var language: String
        var siteOrder: SiteOrder
        /// The ERP's statuses in sequence order.
        var statuses: [ERPOrderStatus]
        var invoices: [ERPInvoice]
    }

    var orders: [Order] = []

    /// `count` orders along every path: straight to delivery, with a partial shipment, held up
    /// by a stock-out, cancelled before or after preparation; some with an invoice.
    init(count: Int, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let languages = ["fr", "en", "de", "it"]
        for index in 0..<count {
            let number = "WEB-\(400_000 + index)"
            let language = languages[index % languages.count]
            var path: [(OrderStatus, [OrderProblem])] = [(.validated, []), (.inPreparation, [])]
            switch index % 5 {
            case 0: path += [(.shipped, []), (.delivered, [])]
            case 1: path += [(.partiallyShipped, []), (.shipped, []), (.delivered, [])]
            case 2: path += [(.inPreparation, [Status.stockOut()]), (.shipped, []), (.delivered, [])]
            case 3: path += [(.cancelled, [])]
            default: path = [(.validated, []), (.cancelled, [])]
            }
            var statuses: [ERPOrderStatus] = []
            var parcels: [Shipment] = []
            for (step, (status, problems)) in path.enumerated() {
                if status == .partiallyShipped || (status == .shipped && parcels.count < 2) {
                    parcels.append(Status.shipment("SHP-\(index)-\(parcels.count + 1)", at: 10 * (step + 1)))
                }
                statuses.append(Status.status(step + 1, status, order: number, shipments: parcels, problems: problems,
                                              documents: [Status.acknowledgement]))
            }
            let invoices = index % 5 < 3 && Bool.random(using: &rng) ? [Status.invoice("FA-\(index)", order: number)] : []
            orders.append(Order(number: number, language: language, siteOrder: try Status.siteOrder(number, language: language, account: "acc_\(index)"),
                                statuses: statuses, invoices: invoices))
        }
    }

    /// Every site order, in order.
    var siteOrderRecords: [ProducerRecord] { orders.map { Status.record($0.siteOrder, key: $0.number) } }

    /// Every status and invoice, a third of them twice, all shuffled.
    func erpRecords(seed: UInt64, withInvoices: Bool = true) -> [ProducerRecord] {
        var rng = SplitMix64(seed: seed)
        var records: [ProducerRecord] = []
        for order in orders {
            for status in order.statuses {
                let record = Status.record(status, key: order.number)
                records.append(record)
                if rng.next() % 3 == 0 { records.append(Status.record(status, key: order.number)) }
            }
            if withInvoices { records += order.invoices.map { Status.record($0, key: order.number) } }
        }
        records.shuffle(using: &rng)
        return records
    }

    /// The status each order ends in: its last (monotonic paths).
    func finalStatus(of order: Order) -> TrackingStatus? {
        order.statuses.last.map { OrderProgress.shown($0.status) }
    }

    /// Per order: tracking updates never go backwards, each brings news, one per transition
    /// (status and delay), the last shows the final status; at most one notification per
    /// transition, the final one among them, in the order's language for its site account.
    func check(tracking: [TrackingUpdate], notifications: [CustomerNotification]) {
        let updates = Dictionary(grouping: tracking, by: \.orderNumber)
        let sent = Dictionary(grouping: notifications, by: \.orderNumber)
        #expect(updates.count == orders.count, "every order has a tracking page")
        for order in orders {
            let mine = updates[OrderNumber(order.number)] ?? []
            let ranks = mine.map { Progression.rank(Self.erpStatus($0.status)) }
            #expect(zip(ranks, ranks.dropFirst()).allSatisfy { $0 <= $1 }, "\(order.number) never moves backwards")
            #expect(zip(mine, mine.dropFirst()).allSatisfy { Self.visible($0) != Self.visible($1) }, "\(order.number): each update brings news")
            let perTransition = Dictionary(grouping: mine) { "\($0.status.rawValue) \($0.delay?.rawValue ?? "")" }
            #expect(perTransition.values.allSatisfy { $0.count == 1 }, "\(order.number): one tracking update per transition")
            #expect(mine.last?.status == finalStatus(of: order), "\(order.number) ends \(finalStatus(of: order)?.rawValue ?? "?")")

            let told = sent[OrderNumber(order.number)] ?? []
            #expect(Set(told.map(\.template)).count == told.count, "\(order.number): at most one notification per transition")
            if let last = order.statuses.last, let template = StatusNotifierRules.defaults.template(for: Transition(last.status)) {
                #expect(told.contains { $0.template == template }, "\(order.number): its final transition is notified")
            }
            #expect(told.allSatisfy { $0.language.tag == order.language && $0.siteAccountID == order.siteOrder.customer.siteAccountID },
                    "\(order.number): in the order's language, for its site account")
        }
    }

    /// What the site shows of an update: everything but its sequence and time.
    static func visible(_ update: TrackingUpdate) -> String {
        var copy = update
        copy.sequence = 1
        copy.updatedAt = Status.start
        return String(decoding: Status.codec.encode(copy), as: UTF8.self)
    }

    static func erpStatus(_ status: TrackingStatus) -> OrderStatus {
        switch status {
        case .confirmed: .validated
        case .inPreparation: .inPreparation
        case .partiallyShipped: .partiallyShipped
        case .shipped: .shipped
        case .delivered: .delivered
        case .cancelled: .cancelled
        }
    }
}

extension ConsumedRecord {
    /// The record's message as `M`, or nil.
    func message<M: BusMessage>(_ type: M.Type) -> M? {
        guard let value, headers.string("ce_type") == M.messageType else { return nil }
        return try? Status.codec.decode(type, from: value)
    }
}
