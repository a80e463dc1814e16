import BusSchema
import Foundation

/// One live query the site asked during the day, and the answers it got.
struct AskedQuery {
    enum Kind {
        /// The availability of a cart's SKUs, before the order; `closing`: every SKU, once the day settled.
        case availability(skus: [SKU], closing: Bool)
        /// A B2B customer's prices for a cart's lines.
        case price(account: SiteAccountID, lines: [PlannedLine])
    }

    let correlationID: String
    let replyKey: String
    let kind: Kind
    let sentAt: ContinuousClock.Instant
    /// Units of each SKU in the orders the site placed before asking.
    let placedBefore: [SKU: Int]
    /// Units of each SKU in the orders the site had placed when it read the first answer: the
    /// most the bus can hold in flight for it. More than `placedBefore` when stock-broadcaster
    /// read the claims of an order placed right after the query before the query itself
    /// (Kafka keeps no order across topics): the answer is then only fresher.
    var placedBeforeAnswer: [SKU: Int]?
    /// The records answering it (its correlation id), in the order read.
    var answers: [ObservedRecord] = []
    /// From the query's publication to its first answer read, in seconds.
    var latency: Double?
}

/// The site's live queries (README "Request/reply"): the availability of each cart before
/// the order is placed, the prices of each B2B customer's cart, and, once the day has
/// settled, the availability of every SKU. Each query is keyed by one of the site's
/// instances, which reads its answers from its own partition; the demo's journal reads them
/// all, and the reconciliation checks them (`Reconciliation+Queries`).
final class SiteQueries {
    static let source = "site/live-queries"
    /// The site's instances: each asks under its own reply key.
    static let replyKeys = ["site-eu-1", "site-eu-2", "site-eu-3"]
    /// Long enough for the loaded full suite: an answer past it is `timeout`, and counted.
    static let deadline: Duration = .seconds(30)

    private let day: BusinessDay
    private let publisher: Publisher
    /// The queries by correlation id, and their order.
    private(set) var asked: [String: AskedQuery] = [:]
    private(set) var order: [String] = []
    private var placedUnits: [SKU: Int] = [:]
    private(set) var closingAsked = false
    private var closingAskedAt: ContinuousClock.Instant?

    init(day: BusinessDay, publisher: Publisher) {
        self.day = day
        self.publisher = publisher
    }

    /// Before each order: its cart's availability and, for a B2B customer, its prices.
    func perform(_ event: DayEvent, at time: Instant) {
        guard case .placeOrder(let index) = event else { return }
        let plan = day.orders[index]
        let key = Self.replyKeys[index % Self.replyKeys.count]
        ask(AvailabilityQuery(skus: plan.lines.map(\.sku)), topic: Topics.availabilityQueries, replyTo: Topics.availabilityAnswers,
            kind: .availability(skus: plan.lines.map(\.sku), closing: false), key: key, name: "\(plan.number)", at: time)
        if case .account(let account, business: true) = plan.buyer {
            let lines = plan.lines.map { PriceQueryLine(sku: $0.sku, quantity: DemoValues.quantity($0.quantity)) }
            ask(PriceQuery(siteAccountID: account, lines: lines), topic: Topics.priceQueries, replyTo: Topics.priceAnswers,
                kind: .price(account: account, lines: plan.lines), key: key, name: "\(plan.number)", at: time)
        }
        for line in plan.lines { placedUnits[line.sku, default: 0] += line.quantity }
    }

    /// Once the day settled: every stocked SKU's availability, in carts of at most 200.
    func askClosing(at time: Instant) {
        closingAsked = true
        closingAskedAt = .now
        let skus = day.catalogue.items.map(\.sku)
        for (number, start) in stride(from: 0, to: skus.count, by: 200).enumerated() {
            let cart = Array(skus[start..<min(start + 200, skus.count)])
            ask(AvailabilityQuery(skus: cart), topic: Topics.availabilityQueries, replyTo: Topics.availabilityAnswers,
                kind: .availability(skus: cart, closing: true), key: Self.replyKeys[0], name: "closing-\(day.run.id)-\(number)", at: time)
        }
    }

    /// Whether the closing queries are over: every one answered, or its deadline passed (the
    /// reconciliation then reports those without an answer; the day does not wait for ever).
    var closingDone: Bool {
        guard closingAsked, let closingAskedAt else { return false }
        if ContinuousClock.now - closingAskedAt > Self.deadline + .seconds(1) { return true }
        return asked.values.allSatisfy { query in
            guard case .availability(_, closing: true) = query.kind else { return true }
            return !query.answers.isEmpty
        }
    }

    /// Takes in an answer read by the journal.
    func observe(_ record: ObservedRecord) {
        guard record.topic == Topics.availabilityAnswers || record.topic == Topics.priceAnswers,
              let correlation = record.header("ce_correlationid"), asked[correlation] != nil else { return }
        asked[correlation]?.answers.append(record)
        if asked[correlation]?.placedBeforeAnswer == nil { asked[correlation]?.placedBeforeAnswer = placedUnits }
        if asked[correlation]?.latency == nil, let sentAt = asked[correlation]?.sentAt {
            asked[correlation]?.latency = (ContinuousClock.now - sentAt).seconds
        }
    }

    private func ask<M: BusMessage>(_ query: M, topic: String, replyTo: String, kind: AskedQuery.Kind, key: String, name: String, at time: Instant) {
        let correlation = "\(topic == Topics.priceQueries ? "quote" : "cart")-\(name)"
        let deadline = Instant(Date().addingTimeInterval(Self.deadline.seconds))
        asked[correlation] = AskedQuery(correlationID: correlation, replyKey: key, kind: kind, sentAt: .now, placedBefore: placedUnits)
        order.append(correlation)
        publisher.publish(query, topic: topic, key: key, source: Self.source, time: time, name: "site/query/\(correlation)",
                          conversation: .init(correlationID: correlation, replyTo: replyTo, deadline: deadline))
    }
}

extension Duration {
    /// In seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
