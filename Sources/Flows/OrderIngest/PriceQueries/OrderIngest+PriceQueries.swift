import BusSchema

/// Live price queries (`shop.price-queries` → `erp.price-queries` → the ERP →
/// `erp.price-answers` → `shop.price-answers`), answered by order-ingest because it holds
/// what an answer needs without the ERP: the identity table (the customer's ERP account and
/// price list) and the published catalogue (public prices, price-list rows, quantity breaks).
///
/// A query is a request waiting on another input: it lives in the state of its partition
/// (its record key is the asker's reply key; the ERP answers under the same key, so to the
/// same partition) until the ERP answers or its fallback moment, a wall-clock timer, comes;
/// then the bus answers from the catalogue, marked `indicative` with the reason. A later ERP
/// answer is dropped and counted (`price_answer_late`). A query read past its deadline is
/// answered `timeout`. The answered query is kept a while, so a replay answers nothing again.
/// Every answer to one query carries one `ce_id` (`PendingPriceQuery.answer`), whichever
/// input or timer gave it: a crash that lost the state's "answered" after the answer went out
/// can make the successor answer again (its wall-clock fallback may come before the ERP's
/// answer is read again), and the site, deduplicating by id, keeps the first.
extension OrderIngest {
    /// Takes in a price query: answered at once when it expired, when the customer has no ERP
    /// account, or when the cache prices every line; relayed to the ERP otherwise.
    func priceQuery(_ query: PriceQuery, _ input: FlowInput, state: inout FlowState<OrderIngestState>, tables: any TableLookup) throws -> [FlowOutput] {
        guard let correlationID = input.envelope.correlationID else {
            throw FlowRejection(field: "ce_correlationid", reason: "a request must carry a correlation id, which its answer carries back")
        }
        guard input.envelope.replyTo == Topics.priceAnswers else {
            throw FlowRejection(field: "ce_replyto", reason: "price queries are answered on \(Topics.priceAnswers) only: the header must name it")
        }
        guard let deadline = input.envelope.deadline else {
            throw FlowRejection(field: "ce_deadline", reason: "a request must carry a deadline (an RFC 3339 instant) after which its answer is useless")
        }
        guard let replyKey = input.key, !replyKey.isEmpty else {
            throw FlowRejection(field: "key", reason: "a request's record key is the asker's reply key, and its answer's key: it must not be empty")
        }
        let key = PendingPriceQuery.stateKey(replyKey: replyKey, correlationID: correlationID)
        guard state[key] == nil else { return [] }  // a replay: this query has its answer, or will
        let now = input.receivedAt ?? input.envelope.time
        let link = tables.latest(IdentityLink.self, in: Topics.customerIdentity, key: query.siteAccountID.rawValue)
        let account = link?.status == .linked ? link : nil
        let question = ERPPriceQuery(erpAccountCode: account?.erpAccountCode ?? rules.guestAccount, erpContactID: account?.erpContactID,
                                     priceList: account?.priceList, lines: query.lines)
        let fallbackAt = min(now.adding(milliseconds: Int64(rules.priceQueryERPWaitMs)), deadline)
        var pending = PendingPriceQuery(correlationID: correlationID, replyKey: replyKey, replyTo: Topics.priceAnswers,
                                        deadline: deadline, fallbackAt: fallbackAt, question: question, stage: .answered)
        let answer: PriceAnswer
        if now >= deadline {
            answer = PriceAnswer(status: .timeout, lines: [], answeredAt: now, reason: "the deadline passed before order-ingest read the query")
        } else if account == nil {
            answer = try indicative(pending, tables: tables, at: now,
                                    reason: "the customer's site account is not linked to an ERP account: public catalogue prices")
        } else if let cached = try cachedAnswer(question, state: state, tables: tables, now: now) {
            answer = cached
        } else {
            pending.stage = .waiting
            state[key] = .priceQuery(pending)
            let conversation = FlowOutput.Conversation(correlationID: correlationID, replyTo: Topics.erpPriceAnswers, deadline: fallbackAt)
            return [FlowOutput(topic: Topics.erpPriceQueries, key: replyKey, message: question, conversation: conversation)]
        }
        state[key] = .priceQuery(pending)
        return [pending.answer(answer)]
    }

    /// Takes in the ERP's answer: relayed to the site when its query still waits (and kept in
    /// the cache), dropped and counted when the query was answered already or is unknown.
    func erpPriceAnswer(_ answer: ERPPriceAnswer, _ input: FlowInput, state: inout FlowState<OrderIngestState>, tables: any TableLookup) throws -> [FlowOutput] {
        guard let correlationID = input.envelope.correlationID else {
            throw FlowRejection(field: "ce_correlationid", reason: "an ERP price answer must carry its query's correlation id")
        }
        guard let replyKey = input.key, !replyKey.isEmpty else {
            throw FlowRejection(field: "key", reason: "an ERP price answer's record key is its query's: it must not be empty")
        }
        let key = PendingPriceQuery.stateKey(replyKey: replyKey, correlationID: correlationID)
        guard case .priceQuery(var pending)? = state[key] else {
            state.count("price_answer_unknown")
            return []
        }
        guard pending.stage == .waiting else {
            state.count("price_answer_late")
            return []
        }
        guard answer.erpAccountCode == pending.question.erpAccountCode else {
            throw FlowRejection(field: "$.erp_account_code", reason: "the answer prices another ERP account than its query asked about")
        }
        let now = input.receivedAt ?? input.envelope.time
        let byPrice = Dictionary(answer.lines.map { ($0.sku, $0) }, uniquingKeysWith: { first, _ in first })
        let lines = try pending.question.lines.compactMap { line throws(SchemaError) in try byPrice[line.sku]?.totalled() }
        let unpriced = pending.question.lines.map(\.sku).filter { byPrice[$0] == nil }
        remember(lines, for: pending.question, state: &state, tables: tables, now: now)
        pending.stage = .answered
        state[key] = .priceQuery(pending)
        let reply = PriceAnswer(status: .answered, source: .erp, lines: lines, unpriced: unpriced.isEmpty ? nil : unpriced, answeredAt: now)
        return [pending.answer(reply)]
    }

    /// A query's fallback moment came with no ERP answer: the indicative answer; an answered
    /// query's keeping is over: forgotten.
    func wakePriceQuery(_ timer: FlowTimer, _ pending: PendingPriceQuery, state: inout FlowState<OrderIngestState>, tables: any TableLookup) throws -> [FlowOutput] {
        guard pending.stage == .waiting else {
            if pending.keepUntil <= timer.due { state[timer.key] = nil }
            return []
        }
        guard pending.fallbackAt <= timer.due else { return [] }
        var answered = pending
        answered.stage = .answered
        state[timer.key] = .priceQuery(answered)
        let answer = try indicative(pending, tables: tables, at: timer.due,
                                    reason: "the ERP did not answer within \(rules.priceQueryERPWaitMs) ms: catalogue prices for the customer's price list")
        return [pending.answer(answer)]
    }

    /// A SKU's cached prices lost their expired entries.
    func wakePriceCache(_ timer: FlowTimer, _ cache: PriceCache, state: inout FlowState<OrderIngestState>) {
        var cache = cache
        _ = cache.remove { $0.expiresAt <= timer.due }
        state[timer.key] = cache.entries.isEmpty ? nil : .priceCache(cache)
    }

    /// Drops the cached prices of a SKU whose catalogue entry changed. An account whose link
    /// (and so price list) changed keeps its entries until they expire: their grounds name
    /// the old price list, so none is served again, and finding them would mean a pass over
    /// every key of the partition for each identity record.
    func invalidatePrices(after record: FlowInput, state: inout FlowState<OrderIngestState>) {
        let sku: SKU
        switch record.message {
        case let entry as CatalogEntry: sku = entry.sku
        case let unpublished as CatalogUnpublish: sku = unpublished.sku
        default: return
        }
        let key = PriceCache.stateKey(of: sku)
        if state[key] != nil { state[key] = nil }
    }

    // MARK: Answers

    private func indicative(_ pending: PendingPriceQuery, tables: any TableLookup, at now: Instant, reason: String) throws(SchemaError) -> PriceAnswer {
        let day = rules.localDate(at: now)
        var lines: [PricedLine] = []
        var unpriced: [SKU] = []
        for line in pending.question.lines {
            if let priced = try CataloguePrice.line(line, entry: catalog.entry(selling: line.sku, in: tables), priceList: pending.question.priceList,
                                                    day: day, publicLists: rules.publicPriceLists) {
                lines.append(priced)
            } else {
                unpriced.append(line.sku)
            }
        }
        let why = unpriced.isEmpty ? reason : reason + "; \(unpriced.count) SKU(s) not in the published catalogue"
        return PriceAnswer(status: .indicative, source: .catalogue, lines: lines, unpriced: unpriced.isEmpty ? nil : unpriced, answeredAt: now, reason: why)
    }

    /// The answer from the cache when it prices every line, else nil.
    private func cachedAnswer(_ question: ERPPriceQuery, state: FlowState<OrderIngestState>, tables: any TableLookup, now: Instant) throws(SchemaError) -> PriceAnswer? {
        guard rules.priceCacheSeconds > 0 else { return nil }
        let day = rules.localDate(at: now)
        var lines: [PricedLine] = []
        for line in question.lines {
            guard case .priceCache(let cache)? = state[PriceCache.stateKey(of: line.sku)] else { return nil }
            let entry = catalog.entry(selling: line.sku, in: tables)
            let quantityBreak = CataloguePrice.quantityBreak(line.quantity, entry: entry, priceList: question.priceList, day: day)
            guard let hit = cache.price(account: question.erpAccountCode, sku: line.sku, quantityBreak: quantityBreak,
                                        grounds: PriceGrounds(priceList: question.priceList, entry: entry), now: now) else { return nil }
            var priced = hit.line
            priced.quantity = line.quantity
            priced.lineTotalExclTax = nil
            lines.append(try priced.totalled())
        }
        return PriceAnswer(status: .answered, source: .cache, lines: lines, answeredAt: now)
    }

    /// Keeps the ERP's lines in the partition's cache, per (account, SKU, quantity break):
    /// one value per SKU priced.
    private func remember(_ lines: [PricedLine], for question: ERPPriceQuery, state: inout FlowState<OrderIngestState>, tables: any TableLookup, now: Instant) {
        guard rules.priceCacheSeconds > 0, !lines.isEmpty else { return }
        let day = rules.localDate(at: now)
        let expiresAt = now.adding(seconds: Int64(rules.priceCacheSeconds))
        for line in lines {
            let key = PriceCache.stateKey(of: line.sku)
            var cache: PriceCache
            if case .priceCache(let held)? = state[key] { cache = held } else { cache = PriceCache() }
            let entry = catalog.entry(selling: line.sku, in: tables)
            cache.store(PriceCache.Entry(
                account: question.erpAccountCode, sku: line.sku,
                quantityBreak: CataloguePrice.quantityBreak(line.quantity, entry: entry, priceList: question.priceList, day: day),
                line: line, grounds: PriceGrounds(priceList: question.priceList, entry: entry), expiresAt: expiresAt))
            state[key] = .priceCache(cache)
        }
    }
}
