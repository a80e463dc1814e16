import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// The price query's rules on the flow alone, no broker: what is relayed, what the indicative
/// answer says at the fallback moment, when the cache answers.
@Suite("order-ingest: price query rules")
struct PriceQueryRuleTests {
    static let received = Shop.at(minutes: 10)
    static let gold = CatalogPrice(priceList: "B2B-GOLD", minimumQuantity: Shop.quantity("10"), priceExclTax: Shop.money(1200), priceInclTax: Shop.money(1440))
    static let promo = CatalogPrice(priceList: "PROMO", minimumQuantity: Shop.quantity("1"), priceExclTax: Shop.money(1500), priceInclTax: Shop.money(1800))

    static func tables(priceList: PriceListCode?, rows: [CatalogPrice]) -> StaticTables {
        var link = Shop.link("acc-b2b", "C000777")
        link.priceList = priceList
        return StaticTables([
            Topics.shopCatalog: ["TEE": Shop.entry("TEE", 1999, "20", priceLists: rows)],
            Topics.customerIdentity: ["acc-b2b": link],
        ])
    }

    static func query(_ quantity: String, correlation: String = "q-1") -> FlowInput {
        let envelope = Envelope(id: "query-\(correlation)", source: "site/test", type: PriceQuery.messageType, time: received,
                                correlationID: correlation, replyTo: Topics.priceAnswers, deadline: received.adding(seconds: 5))
        return FlowInput(envelope: envelope, message: PriceQuery(siteAccountID: "acc-b2b", lines: [PriceQueryLine(sku: "TEE", quantity: Shop.quantity(quantity))]),
                         key: "site-1", topic: Topics.priceQueries, receivedAt: received)
    }

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var priceList: PriceListCode?
        var rows: [CatalogPrice]
        var quantity: String
        var unitExcl: Int64
        var list: PriceListCode?
        var description: String { name }
    }

    @Test("at the fallback moment, the indicative price is the lowest of the public price and the rows the customer may use for its quantity", arguments: [
        Row(name: "below the break: the public price", priceList: "B2B-GOLD", rows: [gold], quantity: "9", unitExcl: 1666, list: nil),
        Row(name: "at the break: the price list's", priceList: "B2B-GOLD", rows: [gold], quantity: "10", unitExcl: 1200, list: "B2B-GOLD"),
        Row(name: "another account's list: the public price", priceList: "B2B-SILVER", rows: [gold], quantity: "10", unitExcl: 1666, list: nil),
        Row(name: "a public list (PROMO) any customer may use", priceList: nil, rows: [promo], quantity: "1", unitExcl: 1500, list: "PROMO"),
        Row(name: "both: the lower", priceList: "B2B-GOLD", rows: [gold, promo], quantity: "12", unitExcl: 1200, list: "B2B-GOLD"),
    ])
    func indicative(_ row: Row) throws {
        let flow = OrderIngest()
        let tables = Self.tables(priceList: row.priceList, rows: row.rows)
        let store = StateStore<OrderIngestState>()
        var state = FlowState(store: store)
        let relayed = try flow.handle(Self.query(row.quantity), state: &state, tables: tables)
        #expect(relayed.map(\.topic) == [Topics.erpPriceQueries])
        #expect(relayed.first?.conversation == FlowOutput.Conversation(correlationID: "q-1", replyTo: Topics.erpPriceAnswers,
                                                                          deadline: Self.received.adding(milliseconds: 800)))
        store.apply(state.changes)
        let key = PendingPriceQuery.stateKey(replyKey: "site-1", correlationID: "q-1")
        let due = try #require(store[key].flatMap { flow.wakeTime(key: key, value: $0) })
        #expect(due == Self.received.adding(milliseconds: 800))
        #expect(store[key].map { flow.timerClock(key: key, value: $0) } == .wall)

        var woken = FlowState(store: store, clock: due)
        let answers = try flow.wake(FlowTimer(key: key, due: due), state: &woken, tables: tables)
        let answer = try #require(answers.first?.message as? PriceAnswer)
        #expect(answers.first?.conversation?.correlationID == "q-1" && answers.first?.key == "site-1")
        #expect(answer.status == .indicative && answer.source == .catalogue && answer.validate().isEmpty)
        #expect(answer.lines.first?.unitPriceExclTax.amount == row.unitExcl, "\(row.name)")
        #expect(answer.lines.first?.priceList == row.list, "\(row.name)")
    }

    @Test("the rules file's price_query_erp_wait_ms (0 to 60000) and price_cache_seconds (0 to 86400)")
    func rulesFile() throws {
        let rules = try JSONDecoder().decode(OrderIngestRules.self, from: Data(#"{"price_query_erp_wait_ms": 1500, "price_cache_seconds": 0}"#.utf8))
        #expect(rules.priceQueryERPWaitMs == 1500 && rules.priceCacheSeconds == 0)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(OrderIngestRules.self, from: Data(#"{"price_query_erp_wait_ms": 60001}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(OrderIngestRules.self, from: Data(#"{"price_cache_seconds": -1}"#.utf8)) }
    }

    @Test("an ERP answer is cached one value per SKU: the next query for one of its SKUs is answered from the cache, and a new catalogue entry drops that SKU's prices only")
    func cachePerSKU() throws {
        let flow = OrderIngest()
        var link = Shop.link("acc-b2b", "C000777")
        link.priceList = "B2B-GOLD"
        let tables = StaticTables([
            Topics.shopCatalog: ["TEE": Shop.entry("TEE", 1999, "20"), "MUG": Shop.entry("MUG", 899, "20")],
            Topics.customerIdentity: ["acc-b2b": link],
        ])
        let store = StateStore<OrderIngestState>()
        func ask(_ skus: [String], correlation: String) throws -> [FlowOutput] {
            var input = Self.query("2", correlation: correlation)
            input.message = PriceQuery(siteAccountID: "acc-b2b", lines: skus.map { PriceQueryLine(sku: SKU($0), quantity: Shop.quantity("2")) })
            var state = FlowState(store: store)
            let outputs = try flow.handle(input, state: &state, tables: tables)
            store.apply(state.changes)
            return outputs
        }
        #expect(try ask(["TEE", "MUG"], correlation: "q-1").map(\.topic) == [Topics.erpPriceQueries])

        let envelope = Envelope(id: "erp-1", source: "erp/test", type: ERPPriceAnswer.messageType, time: Self.received, correlationID: "q-1")
        let priced = ERPPriceAnswer(erpAccountCode: "C000777", lines: [
            PricedLine(sku: "TEE", quantity: Shop.quantity("2"), unitPriceExclTax: Shop.money(1111)),
            PricedLine(sku: "MUG", quantity: Shop.quantity("2"), unitPriceExclTax: Shop.money(555)),
        ], computedAt: Self.received)
        var answered = FlowState(store: store)
        let relayed = try flow.handle(FlowInput(envelope: envelope, message: priced, key: "site-1", topic: Topics.erpPriceAnswers, receivedAt: Self.received),
                                      state: &answered, tables: tables)
        #expect((relayed.first?.message as? PriceAnswer)?.source == .erp)
        let cacheKeys = answered.changes.keys.filter { $0.hasPrefix(PriceCache.keyPrefix) }.sorted()
        #expect(cacheKeys == [PriceCache.stateKey(of: "MUG"), PriceCache.stateKey(of: "TEE")], "one value per SKU priced")
        for key in cacheKeys {
            guard case .priceCache(let cache)?? = answered.changes[key] else { Issue.record("\(key) holds no prices"); continue }
            #expect(cache.entries.map(\.sku.rawValue) == [String(key.dropFirst(PriceCache.keyPrefix.count))], "each value holds its SKU's prices only")
        }
        store.apply(answered.changes)

        let fromCache = try ask(["TEE"], correlation: "q-2")
        #expect(fromCache.map(\.topic) == [Topics.priceAnswers], "the ERP is not asked again")
        #expect((fromCache.first?.message as? PriceAnswer)?.source == .cache)
        #expect((fromCache.first?.message as? PriceAnswer)?.lines.first?.unitPriceExclTax.amount == 1111)

        let republished = Envelope(id: "cat-mug", source: "bus/article-publisher", type: CatalogEntry.messageType, time: Self.received)
        var told = FlowState(store: store)
        _ = try flow.tableChanged(FlowInput(envelope: republished, message: Shop.entry("MUG", 999, "20"), key: "MUG", topic: Topics.shopCatalog),
                                  state: &told, tables: tables)
        #expect(told.changes.keys.sorted() == [PriceCache.stateKey(of: "MUG")])
        #expect(told.changes[PriceCache.stateKey(of: "MUG")] == .some(nil), "MUG's prices dropped, TEE's kept")
    }

    /// The `ce_id` the runtime writes for `output`, an output of `cause` (`RecordCodec`).
    static func ceID(_ output: FlowOutput, cause: Envelope) -> String {
        cause.derived(worker: "order-ingest", position: 0, type: PriceAnswer.messageType, dataSchema: nil,
                      topic: output.topic, key: output.key, value: nil, effect: output.effectID).id
    }

    @Test("a query still waiting after a crash (its \"answered\" lost with the changelog) may be answered again, by the ERP's answer read again or by the fallback moment: every answer to it carries one ce_id, so the site keeps the first")
    func oneAnswerID() throws {
        let flow = OrderIngest()
        let tables = Self.tables(priceList: "B2B-GOLD", rows: [Self.gold])
        let store = StateStore<OrderIngestState>()
        var asked = FlowState(store: store)
        #expect(try flow.handle(Self.query("2"), state: &asked, tables: tables).map(\.topic) == [Topics.erpPriceQueries])
        store.apply(asked.changes)
        let key = PendingPriceQuery.stateKey(replyKey: "site-1", correlationID: "q-1")

        // The first owner: the ERP's answer relayed.
        let erp = Envelope(id: "erp-1", source: "erp/test", type: ERPPriceAnswer.messageType, time: Self.received, correlationID: "q-1")
        let priced = ERPPriceAnswer(erpAccountCode: "C000777", lines: [PricedLine(sku: "TEE", quantity: Shop.quantity("2"), unitPriceExclTax: Shop.money(1111))],
                                    computedAt: Self.received)
        var relayedState = FlowState(store: store)
        let relayed = try #require(try flow.handle(FlowInput(envelope: erp, message: priced, key: "site-1", topic: Topics.erpPriceAnswers, receivedAt: Self.received),
                                                   state: &relayedState, tables: tables).first)
        #expect((relayed.message as? PriceAnswer)?.source == .erp)

        // Its successor, the query restored still waiting: the fallback moment comes first.
        let due = try #require(store[key].flatMap { flow.wakeTime(key: key, value: $0) })
        var woken = FlowState(store: store, clock: due)
        let fallback = try #require(try flow.wake(FlowTimer(key: key, due: due), state: &woken, tables: tables).first)
        #expect((fallback.message as? PriceAnswer)?.status == .indicative)
        let timerCause = FlowTimer(key: key, due: due).envelope(worker: "order-ingest")

        #expect(relayed.effectID != nil && relayed.effectID == fallback.effectID)
        #expect(Self.ceID(relayed, cause: erp) == Self.ceID(fallback, cause: timerCause), "one ce_id for both answers")
        #expect(relayed.topic == fallback.topic && relayed.key == fallback.key && relayed.conversation == fallback.conversation)

        // Another query of the same asker has an answer of its own.
        var other = FlowState(store: store)
        _ = try flow.handle(Self.query("3", correlation: "q-2"), state: &other, tables: tables)
        store.apply(other.changes)
        let otherKey = PendingPriceQuery.stateKey(replyKey: "site-1", correlationID: "q-2")
        let otherDue = try #require(store[otherKey].flatMap { flow.wakeTime(key: otherKey, value: $0) })
        var otherWoken = FlowState(store: store, clock: otherDue)
        let otherAnswer = try #require(try flow.wake(FlowTimer(key: otherKey, due: otherDue), state: &otherWoken, tables: tables).first)
        #expect(otherAnswer.effectID != relayed.effectID)
    }
}
