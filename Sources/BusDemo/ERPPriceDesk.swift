import BusSchema
import Foundation

/// The ERP's answers to the bus's price queries (`erp.price-queries` → `erp.price-answers`):
/// the account's net price per SKU and quantity, as the ERP computes it, under the query's
/// key and correlation id. Every `slowEvery`-th query it answers `slowBy` late, past
/// order-ingest's `price_query_erp_wait_ms`: the bus must have answered `indicative` by then,
/// and drop this late answer.
final class ERPPriceDesk {
    static let slowEvery = 3
    static let slowBy: Duration = .seconds(2)
    /// The ERP's discount for every B2B account, in percent, on top of its price list.
    static let accountDiscountPercent: Int64 = 5

    private let catalogue: DemoCatalogue
    private let publisher: Publisher
    private let priceLists: [ERPAccountCode: PriceListCode]
    private var waiting: [(due: ContinuousClock.Instant, answer: ERPPriceAnswer, key: String, correlation: String)] = []
    /// The correlation ids asked, and those answered late on purpose.
    private(set) var asked: Set<String> = []
    private(set) var slow: Set<String> = []

    init(day: BusinessDay, publisher: Publisher) {
        catalogue = day.catalogue
        self.publisher = publisher
        priceLists = Dictionary(day.customers.erpAccounts.compactMap { account in account.priceList.map { (account.accountCode, $0) } },
                                uniquingKeysWith: { first, _ in first })
    }

    /// Takes in a price query the bus relayed (once per correlation id: a relay sent again
    /// after a worker's restart is the same question).
    func observe(_ record: ObservedRecord) {
        guard record.topic == Topics.erpPriceQueries, let query = record.message(as: ERPPriceQuery.self),
              let correlation = record.header("ce_correlationid"), let key = record.key, !asked.contains(correlation) else { return }
        asked.insert(correlation)
        // The query's own time: the demo's day runs on simulated time, which the wall clock would overtake.
        let time = record.header("ce_time").flatMap { Instant($0) } ?? Instant(Date())
        let lines = query.lines.compactMap { line in
            price(account: query.erpAccountCode, sku: line.sku, quantity: line.quantity).map {
                PricedLine(sku: line.sku, quantity: line.quantity, unitPriceExclTax: $0)
            }
        }
        let late = asked.count % Self.slowEvery == 0
        if late { slow.insert(correlation) }
        waiting.append((.now + (late ? Self.slowBy : .zero), ERPPriceAnswer(erpAccountCode: query.erpAccountCode, lines: lines, computedAt: time),
                        key, correlation))
        advance()
    }

    /// Sends the answers that are due.
    func advance() {
        let now = ContinuousClock.now
        for due in waiting where due.due <= now {
            publisher.publish(due.answer, topic: Topics.erpPriceAnswers, key: due.key, source: ERPSimulator.source, time: due.answer.computedAt,
                              name: "erp/price-answer/\(due.correlation)", conversation: .init(correlationID: due.correlation))
        }
        waiting.removeAll { $0.due <= now }
    }

    /// Whether every answer is sent.
    var isSettled: Bool { waiting.isEmpty }

    /// The ERP's net unit price excluding tax: its price-list row once the quantity reaches
    /// the row's minimum (for an account on that list), else the list price, less the
    /// account discount, rounded half up to the cent; nil for a SKU it does not price.
    func price(account: ERPAccountCode, sku: SKU, quantity: Quantity) -> Money? {
        guard let item = catalogue.item(sku) else { return nil }
        var unit = item.unitExclTax
        if let row = item.priceList, priceLists[account] == DemoCatalogue.priceList, quantity >= DemoValues.quantity(row.minimum) {
            unit = row.exclTax
        }
        let discounted = unit.amount * (100 - Self.accountDiscountPercent)
        return Money(amount: (discounted + 50) / 100, currency: unit.currency)
    }
}
