import BusSchema

extension Reconciliation {
    /// The site's availability queries: each answered once (or, with workers restarted, not at
    /// all when read again past its deadline by a new owner), under its correlation id and the
    /// asker's key, item by item in the cart's order; a SKU the catalogue does not sell is
    /// `unknown`, every other is known (in the chaos run, where a second replica of
    /// stock-broadcaster holds some partitions, an instance answers `unknown` for the SKUs it
    /// does not hold, README "Request/reply", Scaling: counted, not failed); what is counted in flight is never more than the
    /// orders placed before its answer was read hold; and, once the day settled (every order reserved
    /// or gone), every SKU's answer is the ERP's final stock (status, units, next receipt,
    /// on order) with nothing in flight.
    func availabilityQueries() -> Check {
        let queries = outcome.queries
        var failures: [String] = []
        var counts: [String: Int] = [:]
        var latency = LatencyStats()
        var withClaims = 0
        var elsewhere = 0
        var unanswered = 0
        for correlation in queries.order {
            guard let query = queries.asked[correlation], case .availability(let skus, let closing) = query.kind else { continue }
            // Requests are not state: one read again past its deadline by a partition's new
            // owner, appended before it was assigned, may have been answered by the owner
            // before, and is skipped (README "Request/reply", `expired_on_replay`), never
            // answered twice. Under kills and rebalances a query can so go unanswered; its
            // deadline answers it for the asker. Counted in a run with restarted workers,
            // not failed; the closing query, asked once the day settled, must be answered.
            if outcome.workersWereRestarted, !closing, query.answers.isEmpty {
                unanswered += 1
                continue
            }
            guard let answer = Self.onlyAnswer(query, as: AvailabilityAnswer.self, failures: &failures) else { continue }
            if let seconds = query.latency { latency.add(seconds) }
            counts[answer.status.rawValue, default: 0] += 1
            guard answer.status == .answered else { continue }
            guard answer.items.map(\.sku) == skus else {
                failures.append("\(correlation): the answer's SKUs are not the cart's, in its order")
                continue
            }
            for item in answer.items {
                if item.inFlight > .zero { withClaims += 1 }
                if outcome.workersWereRestarted, item.status == .unknown, day.catalogue.item(item.sku) != nil {
                    elsewhere += 1
                    continue
                }
                failures += closing ? closingMismatch(item, correlation) : cartMismatch(item, query, correlation)
            }
        }
        let closing = queries.order.filter { if case .availability(_, true)? = queries.asked[$0]?.kind { true } else { false } }.count
        if !queries.closingAsked { failures.append("the closing availability was never asked (the day did not settle)") }
        let asked = counts.values.reduce(0, +)
        let outcomes = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return Check(name: "stock query", summary: "\(asked) availability \(asked == 1 ? "query" : "queries") (\(closing) at closing): \(outcomes.isEmpty ? "none answered" : outcomes); "
                     + "answered from stock-broadcaster's state less the orders in flight",
                     failures: failures,
                     details: ["latency (query → answer read by the site): \(latency.summary)", "\(Self.count(withClaims, "item")) counted units of orders in flight"]
                        + (elsewhere > 0 ? ["\(Self.count(elsewhere, "stocked item")) answered unknown by an instance not holding its partition (workers replicated)"] : [])
                        + (unanswered > 0 ? ["\(unanswered) \(unanswered == 1 ? "query" : "queries") unanswered: read again past the deadline by a partition's new owner and skipped (expired_on_replay)"] : []))
    }

    /// The site's B2B price queries: each answered once, correlated and keyed; an answer
    /// from the ERP equals the ERP's own answer to that correlation id, one from the cache
    /// the ERP's price for the account, SKU and quantity; a query the ERP answered late on
    /// purpose was answered `indicative` from the catalogue, with the reason, and the ERP's
    /// late answer was dropped.
    func priceQueries() -> Check {
        let queries = outcome.queries
        let desk = outcome.priceDesk
        var failures: [String] = []
        var sources: [String: Int] = [:]
        var latency = LatencyStats()
        var erpAnswers: [String: ERPPriceAnswer] = [:]
        var lateButTaken = 0
        for (record, answer) in journal.messages(ERPPriceAnswer.self, on: Topics.erpPriceAnswers) {
            if let correlation = record.header("ce_correlationid") { erpAnswers[correlation] = answer }
        }
        for correlation in queries.order {
            guard let query = queries.asked[correlation], case .price(let account, let lines) = query.kind else { continue }
            guard let answer = Self.onlyAnswer(query, as: PriceAnswer.self, failures: &failures) else { continue }
            if let seconds = query.latency { latency.add(seconds) }
            let source = answer.status == .answered ? answer.source?.rawValue ?? "nowhere" : answer.status.rawValue
            sources[source, default: 0] += 1
            // A query the ERP answers late gets the indicative fallback at its deadline, unless
            // order-ingest was down then (killed): its successor may read the ERP's late answer
            // before the restored fallback timer fires. The site then has the ERP's price, once
            // (one ce_id per query's answer), which is checked below like any ERP answer.
            if desk.slow.contains(correlation), answer.status != .indicative {
                if outcome.workersWereRestarted, answer.status == .answered, answer.source == .erp {
                    lateButTaken += 1
                } else {
                    failures.append("\(correlation): the ERP answered late on purpose, yet the answer is \(answer.status.rawValue), not indicative")
                }
            }
            switch (answer.status, answer.source) {
            case (.answered, .erp?):
                guard let erp = erpAnswers[correlation] else {
                    failures.append("\(correlation): answered from the ERP, which never answered it")
                    continue
                }
                let asked = Dictionary(erp.lines.map { ($0.sku, $0.unitPriceExclTax) }, uniquingKeysWith: { first, _ in first })
                let given = Dictionary(answer.lines.map { ($0.sku, $0.unitPriceExclTax) }, uniquingKeysWith: { first, _ in first })
                if asked != given { failures.append("\(correlation): the prices answered are not the ERP's") }
            case (.answered, .cache?):
                guard let code = outcome.site.links[account] else {
                    failures.append("\(correlation): answered from the cache for an account the site was never told is linked")
                    continue
                }
                for line in answer.lines {
                    let quantity = lines.first { $0.sku == line.sku }.map { DemoValues.quantity($0.quantity) } ?? line.quantity
                    if desk.price(account: code, sku: line.sku, quantity: quantity) != line.unitPriceExclTax {
                        failures.append("\(correlation): the cached price of \(line.sku) is not the ERP's")
                    }
                }
            case (.indicative, _):
                if answer.source != .catalogue || answer.reason == nil {
                    failures.append("\(correlation): an indicative answer must come from the catalogue and say why")
                }
            case (.timeout, _):
                break
            default:
                failures.append("\(correlation): answered \(answer.status.rawValue) from \(answer.source?.rawValue ?? "nowhere")")
            }
        }
        let asked = sources.values.reduce(0, +)
        let bySource = sources.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return Check(name: "price query", summary: "\(asked) B2B price \(asked == 1 ? "query" : "queries") by source: \(bySource.isEmpty ? "none" : bySource); "
                     + "\(desk.slow.count) answered late by the ERP on purpose",
                     failures: failures,
                     details: ["latency (query → answer read by the site): \(latency.summary)"]
                        + (lateButTaken > 0 ? ["\(lateButTaken) answered late by the ERP and taken (order-ingest killed at the fallback moment)"] : []))
    }

    /// The query's one answer, of type `M`, keyed for its asker; a failure otherwise. A
    /// record delivered again with the same `ce_id` (a worker restarted before its commit) is
    /// the same answer, as a site deduplicating by id sees it.
    private static func onlyAnswer<M: BusMessage>(_ query: AskedQuery, as type: M.Type, failures: inout [String]) -> M? {
        let distinct = Set(query.answers.map { $0.id ?? "\($0.partition)/\($0.offset)" })
        guard distinct.count == 1, let record = query.answers.first else {
            failures.append("\(query.correlationID): \(distinct.count) answers, one expected")
            return nil
        }
        guard record.key == query.replyKey else {
            failures.append("\(query.correlationID): answered under the key \(record.key ?? "none"), not the asker's \(query.replyKey)")
            return nil
        }
        guard let answer = record.message(as: type) else {
            failures.append("\(query.correlationID): the answer is not a valid \(M.messageType)")
            return nil
        }
        return answer
    }

    /// During the day: known or not as the catalogue says, and no more in flight than the
    /// orders placed before the answer was read hold (an order placed right after the query
    /// can reach stock-broadcaster first: its claim and the query come by different topics).
    private func cartMismatch(_ item: AvailabilityItem, _ query: AskedQuery, _ correlation: String) -> [String] {
        let stocked = day.catalogue.item(item.sku) != nil
        if stocked == (item.status == .unknown) {
            return ["\(correlation): \(item.sku) answered \(item.status.rawValue), though the ERP \(stocked ? "stocks" : "does not stock") it"]
        }
        let placed = DemoValues.quantity((query.placedBeforeAnswer ?? query.placedBefore)[item.sku] ?? 0)
        if item.inFlight > placed {
            return ["\(correlation): \(item.sku) counts \(item.inFlight) in flight, the orders placed before its answer was read hold \(placed)"]
        }
        return []
    }

    /// At closing: the ERP's final stock, nothing in flight.
    private func closingMismatch(_ item: AvailabilityItem, _ correlation: String) -> [String] {
        guard let truth = outcome.erp.warehouse.truth(item.sku) else { return [] }
        let status: AvailabilityStatus = truth.units == 0 ? .outOfStock : truth.units > 5 ? .inStock : .limited
        let expected = "\(QueriedAvailability(status).rawValue) \(truth.units)\(truth.nextReceipt.map { " next \($0)" } ?? "")\(truth.onOrder ? " on order" : "") in flight 0"
        let found = "\(item.status.rawValue) \(item.quantity?.description ?? "-")\(item.nextAvailableOn.map { " next \($0)" } ?? "")"
            + "\(item.onOrder == true ? " on order" : "") in flight \(item.inFlight)"
        return expected == found ? [] : ["\(item.sku) at closing: answered \(found), the ERP's stock says \(expected)"]
    }
}
