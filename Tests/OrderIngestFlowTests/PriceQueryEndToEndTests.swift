import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import Testing

/// Price queries on the embedded cluster: the site asks (the Python script a site would run,
/// or a plain producer), order-ingest relays to the ERP (played here by a producer answering
/// what it reads on erp.price-queries), and answers on shop.price-answers.
@Suite("order-ingest: price queries end to end", .serialized)
struct PriceQueryEndToEndTests {
    static let outputs = [Topics.erpPriceQueries, Topics.priceAnswers]
    static var rules: OrderIngestRules {
        var rules = OrderIngestRules.defaults
        rules.priceQueryERPWaitMs = 700
        return rules
    }

    /// The catalogue (TEE 19.99 incl., B2B-GOLD 12.00 excl. from 10) and two linked accounts,
    /// acc-b2b on price list B2B-GOLD.
    static func tables(priceList: PriceListCode? = "B2B-GOLD", at minute: Int = 0) -> [ProducerRecord] {
        let gold = CatalogPrice(priceList: "B2B-GOLD", minimumQuantity: Shop.quantity("10"), priceExclTax: Shop.money(1200), priceInclTax: Shop.money(1440))
        let tee = Shop.entry("TEE", 1999, "20", priceLists: [gold])
        var link = Shop.link("acc-b2b", "C000777", contact: "CT-12")
        link.priceList = priceList
        link.changedAt = Shop.at(minutes: minute)
        return [
            Shop.record(tee, topic: Topics.shopCatalog, key: "TEE", id: "cat-TEE", time: Shop.at(minutes: 0)),
            Shop.record(Shop.entry("MUG", 699, "20"), topic: Topics.shopCatalog, key: "MUG", id: "cat-MUG", time: Shop.at(minutes: 0)),
            Shop.record(link, topic: Topics.customerIdentity, key: "acc-b2b", id: "link-\(minute)", time: Shop.at(minutes: minute)),
        ]
    }

    /// order-ingest on a fresh cluster holding `tables()`, ready (tables read, partitions held).
    static func started(erpWaitMs: Int = 700) throws -> (OrderIngest, FlowHarness<OrderIngest>, RunningWorker<OrderIngest>) {
        var rules = Self.rules
        rules.priceQueryERPWaitMs = erpWaitMs
        let flow = OrderIngest(rules: rules)
        let harness = try FlowHarness(flow: flow, topics: outputs)
        try harness.publish(tables())
        let worker = harness.start(flow)
        #expect(waitUntil(timeout: .seconds(30)) { worker.worker.status.notReadyReason == nil })
        return (flow, harness, worker)
    }

    @Test("a price query asked by a site's Python client is relayed to the ERP and its answer returned with the same correlation id; a second is served from the cache until a price-list update")
    func relayedCachedInvalidated() throws {
        guard PriceAsk.siteScriptAvailable else { Issue.record("run scripts/setup.sh: .venv-test is missing"); return }
        // The ERP here is a polling test thread: it gets 8 s, so a loaded machine does not turn its answer indicative.
        let (_, harness, worker) = try Self.started(erpWaitMs: 8_000)
        defer { worker.stopCleanly() }
        let erp = PriceAsk.ERP(harness: harness, unitCents: 1111)
        defer { erp.stop() }

        let first = try PriceAsk.askAsSite(harness: harness, replyKey: "site-eu-2", account: "acc-b2b", lines: [("TEE", "12")],
                                           correlation: "quote-1", deadlineMilliseconds: 10_000)
        let headers = try #require(first["headers"] as? [String: String])
        #expect(headers["ce_correlationid"] == "quote-1")
        #expect(headers["ce_type"] == PriceAnswer.messageType)
        #expect(first["key"] as? String == "site-eu-2")
        #expect(first["partition"] as? Int == Int(Murmur2Partitioner.partition(of: "site-eu-2", partitions: Int32(harness.partitions))))
        let value = try #require(first["value"] as? [String: Any])
        #expect(value["status"] as? String == "answered")
        #expect(value["source"] as? String == "erp")
        let line = try #require((value["lines"] as? [[String: Any]])?.first)
        #expect((line["unit_price_excl_tax"] as? [String: Any])?["amount"] as? Int == 1111, "the ERP's price, not the catalogue's")
        #expect((line["line_total_excl_tax"] as? [String: Any])?["amount"] as? Int == 13332, "12 × 11.11, filled in by the bus")

        // What the ERP was asked: keyed and correlated as the site's query, with its account and price list.
        let asked = erp.asked()
        #expect(asked.count == 1)
        #expect(asked.first?.key == "site-eu-2" && asked.first?.correlation == "quote-1")
        #expect(asked.first?.replyTo == Topics.erpPriceAnswers)
        #expect(asked.first?.query.erpAccountCode == "C000777" && asked.first?.query.priceList == "B2B-GOLD")

        // Same account, SKU and quantity break (10 and up): from the cache, the ERP not asked.
        try harness.publish([PriceAsk.record(account: "acc-b2b", lines: [("TEE", "15")], replyKey: "site-eu-2", correlation: "quote-2", deadline: .seconds(10))])
        let cached = try PriceAsk.answer(harness, "quote-2")
        #expect(cached.status == .answered && cached.source == .cache)
        #expect(cached.lines.first?.unitPriceExclTax.amount == 1111 && cached.lines.first?.lineTotalExclTax?.amount == 16665)
        #expect(erp.asked().count == 1, "no second ERP query")

        // The account's price list changes (a new identity link): the cache no longer answers.
        try harness.publish(Self.tables(priceList: "B2B-SILVER", at: 5).suffix(1))
        Thread.sleep(forTimeInterval: 1)  // tables are read, and changes told, within 200 ms
        try harness.publish([PriceAsk.record(account: "acc-b2b", lines: [("TEE", "15")], replyKey: "site-eu-2", correlation: "quote-3", deadline: .seconds(10))])
        let fresh = try PriceAsk.answer(harness, "quote-3")
        #expect(fresh.source == .erp)
        #expect(erp.asked().count == 2 && erp.asked().last?.query.priceList == "B2B-SILVER")
    }

    @Test("an ERP that does not answer yields an indicative answer at the fallback moment; an expired query is answered timeout; a late ERP answer is dropped and counted; malformed queries are dead-lettered and the flow goes on")
    func indicativeTimeoutLateMalformed() throws {
        let (flow, harness, worker) = try Self.started()
        defer { worker.stopCleanly() }

        var noDeadline = PriceAsk.record(account: "acc-b2b", lines: [("TEE", "1")], replyKey: "site-1", correlation: "no-deadline", deadline: .seconds(30))
        noDeadline.headers.removeAll { $0.key == "ce_deadline" }
        let badReply = PriceAsk.record(account: "acc-b2b", lines: [("TEE", "1")], replyKey: "site-1", correlation: "bad-reply", deadline: .seconds(30),
                                       replyTo: Topics.availabilityAnswers)
        let twice = PriceAsk.record(account: "acc-b2b", lines: [("TEE", "1"), ("TEE", "2")], replyKey: "site-1", correlation: "twice", deadline: .seconds(30))
        let asked = ContinuousClock.now
        try harness.publish([
            PriceAsk.record(account: "acc-b2b", lines: [("TEE", "12"), ("MUG", "1"), ("NEVER-SOLD", "1")], replyKey: "site-1", correlation: "silent",
                            deadline: .seconds(10)),
            PriceAsk.record(account: "acc-b2b", lines: [("TEE", "1")], replyKey: "site-1", correlation: "late", deadline: .milliseconds(-500)),
            noDeadline, badReply, twice,
            PriceAsk.record(account: "acc-unknown", lines: [("MUG", "2")], replyKey: "site-1", correlation: "after", deadline: .seconds(30)),
        ])
        let silent = try PriceAsk.answer(harness, "silent")
        let waited = ContinuousClock.now - asked
        #expect(silent.status == .indicative && silent.source == .catalogue)
        #expect(silent.reason?.contains("did not answer") == true)
        #expect(waited >= .milliseconds(700) && waited < .seconds(10), "answered at the ERP wait (700 ms), long before the deadline: \(waited)")
        #expect(silent.lines.map(\.sku) == ["TEE", "MUG"] && silent.unpriced == ["NEVER-SOLD"])
        #expect(silent.lines.first?.unitPriceExclTax.amount == 1200 && silent.lines.first?.priceList == "B2B-GOLD",
                "12 reach B2B-GOLD's break of 10: 12.00 excl. rather than the public 16.66")
        #expect(silent.lines.first?.lineTotalExclTax?.amount == 14400)

        let late = try PriceAsk.answer(harness, "late")
        #expect(late.status == .timeout && late.lines.isEmpty && late.source == nil)
        let after = try PriceAsk.answer(harness, "after")
        #expect(after.status == .indicative && after.reason?.contains("not linked") == true, "an unknown customer gets public prices at once")
        #expect(after.lines.first?.unitPriceExclTax.amount == 583)

        // The ERP answers "silent" now: too late, dropped, counted.
        let erpQuery = try #require(try harness.read(Topics.erpPriceQueries, timeout: .seconds(10)) { !$0.isEmpty }.first)
        try harness.publish([PriceAsk.erpAnswer(to: erpQuery, unitCents: 999)])
        #expect(waitUntil(timeout: .seconds(10)) { metricSum(worker.worker.metricsRegistry, "bus_flow_events_total{event=\"price_answer_late\"}") == 1 })
        let answers = try harness.readAll(Topics.priceAnswers)
        #expect(answers.filter { PriceAsk.correlation($0) == "silent" }.count == 1, "the late ERP answer reached no site")

        let letters = try harness.read(flow.deadLetterTopic, timeout: .seconds(10)) { $0.count >= 3 }
        let fields = letters.map { record in record.headers.first { $0.key == DeadLetterHeader.field }?.stringValue ?? "" }
        #expect(fields.sorted() == ["$.lines[1].sku", "ce_deadline", "ce_replyto"])
        #expect(worker.failure == nil)
    }

    @Test("a worker restarted mid-query answers nothing twice: pending queries come back from the changelog, replayed queries are not relayed again, each ERP answer reaches the site once")
    func restartedAnswersNothingTwice() throws {
        var rules = Self.rules
        rules.priceQueryERPWaitMs = 60_000  // the ERP answers after the restart, well before the fallback
        let flow = OrderIngest(rules: rules)
        let harness = try FlowHarness(flow: flow, topics: Self.outputs)
        try harness.publish(Self.tables())
        var options = FlowHarness<OrderIngest>.testOptions
        options.commitInterval = .seconds(600)  // nothing committed before the crash
        let first = harness.start(flow, name: "first", options: options)
        #expect(waitUntil(timeout: .seconds(30)) { first.worker.status.notReadyReason == nil })
        // The first commit after a start is immediate: a warm-up query takes it.
        try harness.publish([PriceAsk.record(account: "acc-b2b", lines: [("MUG", "1")], replyKey: "site-w", correlation: "warm-up", deadline: .seconds(60))])
        _ = try harness.read(Topics.erpPriceQueries, timeout: .seconds(30)) { !$0.isEmpty }
        Thread.sleep(forTimeInterval: 0.5)
        let asked = (0..<30).map { "q-\($0)" }
        try harness.publish(asked.map { PriceAsk.record(account: "acc-b2b", lines: [("TEE", "\($0.count)")], replyKey: "site-\($0.suffix(1))",
                                                        correlation: $0, deadline: .seconds(120)) })
        _ = try harness.read(Topics.erpPriceQueries, timeout: .seconds(30)) { $0.count >= asked.count + 1 }
        // The pending queries reach the changelog after their relay is acknowledged.
        #expect(waitUntil(timeout: .seconds(10)) { ((try? harness.readAll(flow.changelogTopic)) ?? []).count >= asked.count + 1 })
        first.crash()

        let second = harness.start(flow, name: "second")
        defer { second.stopCleanly() }
        let replayed = waitUntil(timeout: .seconds(40)) { metricSum(second.worker.metricsRegistry, "bus_records_consumed_total{topic=\"shop.price-queries\"}") >= Double(asked.count) }
        #expect(replayed, "the second worker reads the uncommitted queries again (\(second.consumed) read, \(second.worker.status.notReadyReason ?? "ready"))")
        let erp = PriceAsk.ERP(harness: harness, unitCents: 1234)
        defer { erp.stop() }
        let answers = try harness.read(Topics.priceAnswers, timeout: .seconds(60)) { Set($0.compactMap(PriceAsk.correlation)).isSuperset(of: asked) }
        let relayed = try harness.readAll(Topics.erpPriceQueries)
        let relayCounts = Dictionary(grouping: relayed.compactMap(PriceAsk.correlation), by: { $0 }).mapValues(\.count)
        #expect(asked.allSatisfy { relayCounts[$0] == 1 }, "no query relayed twice: \(relayCounts.filter { $0.value > 1 })")
        Thread.sleep(forTimeInterval: 2)  // room for a second answer, were there one
        let all = try harness.readAll(Topics.priceAnswers)
        let counts = Dictionary(grouping: all.compactMap(PriceAsk.correlation), by: { $0 }).mapValues(\.count)
        #expect(asked.allSatisfy { counts[$0] == 1 }, "no query answered twice: \(counts.filter { $0.value > 1 })")
        let sources = Dictionary(all.compactMap { record in PriceAsk.decoded(record).map { (PriceAsk.correlation(record) ?? "", $0.source?.rawValue ?? $0.status.rawValue) } },
                                 uniquingKeysWith: { $0 + "," + $1 })
        #expect(asked.allSatisfy { sources[$0] == "erp" || sources[$0] == "cache" }, "every query answered from the ERP's prices: \(sources)")
    }
}

/// Price queries and ERP answers as the site and the ERP would send them.
enum PriceAsk {
    static let codec = MessageCodec()

    /// A query of `account` for `lines`, keyed by `replyKey`, due `deadline` from now.
    static func record(account: String, lines: [(String, String)], replyKey: String, correlation: String, deadline: Duration,
                       replyTo: String = Topics.priceAnswers) -> ProducerRecord {
        let now = Instant(Date())
        let due = Instant(Date().addingTimeInterval(Double(deadline.components.seconds) + Double(deadline.components.attoseconds) / 1e18))
        let envelope = Envelope(id: UUID().uuidString, source: "site/test", type: PriceQuery.messageType, time: now,
                                dataSchema: PriceQuery.schemaReference.uri, correlationID: correlation, replyTo: replyTo, deadline: due)
        return ProducerRecord(topic: Topics.priceQueries, key: replyKey, value: payload(account: account, lines: lines),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }

    static func payload(account: String, lines: [(String, String)]) -> Data {
        JSONWriter.compact(.object([
            JSONMember("site_account_id", .string(account)),
            JSONMember("lines", .array(lines.map { .object([JSONMember("sku", .string($0.0)), JSONMember("quantity", .string($0.1))]) })),
        ]))
    }

    /// The ERP's answer to `query` (a record of erp.price-queries): every line at `unitCents`,
    /// keyed and correlated as the query.
    static func erpAnswer(to query: ConsumedRecord, unitCents: Int64) throws -> ProducerRecord {
        let asked = try codec.decode(ERPPriceQuery.self, from: query.value ?? Data())
        let answer = ERPPriceAnswer(erpAccountCode: asked.erpAccountCode, lines: asked.lines.map {
            PricedLine(sku: $0.sku, quantity: $0.quantity, unitPriceExclTax: Money(amount: unitCents, currency: .eur))
        }, computedAt: Instant(Date()))
        let envelope = Envelope(id: UUID().uuidString, source: "erp/test", type: ERPPriceAnswer.messageType, time: Instant(Date()),
                                dataSchema: ERPPriceAnswer.schemaReference.uri, correlationID: correlation(query))
        return ProducerRecord(topic: Topics.erpPriceAnswers, key: query.keyString ?? "", value: codec.encode(answer),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }

    /// An ERP answering every query it reads on erp.price-queries, from its own thread.
    final class ERP: @unchecked Sendable {
        struct Asked { var key: String?; var correlation: String?; var replyTo: String?; var query: ERPPriceQuery }
        private let lock = NSLock()
        private var seen: [Asked] = []
        private var running = true
        private let done = DispatchSemaphore(value: 0)

        /// Reads erp.price-queries from its start with a consumer of its own, and answers each.
        init<F: Flow>(harness: FlowHarness<F>, unitCents: Int64) {
            let config = harness.cluster.clientConfig(clientID: "erp")
            Thread.detachNewThread { [self] in
                defer { done.signal() }
                guard let consumer = try? KafkaConsumer(config: config), let producer = try? KafkaProducer(config: config) else { return }
                let start = Dictionary(uniqueKeysWithValues: (0..<Int32(harness.partitions)).map {
                    (TopicPartition(topic: Topics.erpPriceQueries, partition: $0), StartOffset.offset(0))
                })
                try? consumer.assign(start)
                while lock.withLock({ running }) {
                    guard case .record(let record)? = consumer.poll(timeout: .milliseconds(50)),
                          let query = try? codec.decode(ERPPriceQuery.self, from: record.value ?? Data()) else { continue }
                    lock.withLock {
                        seen.append(Asked(key: record.keyString, correlation: correlation(record),
                                          replyTo: record.headers.first { $0.key == "ce_replyto" }?.stringValue, query: query))
                    }
                    if let answer = try? erpAnswer(to: record, unitCents: unitCents) { producer.enqueue(answer) { _ in } }
                }
                producer.close()
                consumer.close()
            }
        }

        func asked() -> [Asked] { lock.withLock { seen } }

        func stop() {
            lock.withLock { running = false }
            done.wait()
        }
    }

    static func correlation(_ record: ConsumedRecord) -> String? {
        record.headers.first { $0.key == "ce_correlationid" }?.stringValue
    }

    static func decoded(_ record: ConsumedRecord) -> PriceAnswer? {
        record.value.flatMap { try? codec.decode(PriceAnswer.self, from: $0) }
    }

    /// The answer carrying `correlation`, waiting for it.
    static func answer<F: Flow>(_ harness: FlowHarness<F>, _ correlation: String) throws -> PriceAnswer {
        let records = try harness.read(Topics.priceAnswers, timeout: .seconds(30)) { $0.contains { Self.correlation($0) == correlation } }
        return try #require(records.first { Self.correlation($0) == correlation }.flatMap(decoded))
    }

    static var siteScriptAvailable: Bool { SiteQueryScript.available }

    /// Runs `scripts/site-query.py` as a site instance would: returns the answer it printed.
    static func askAsSite<F: Flow>(harness: FlowHarness<F>, replyKey: String, account: String, lines: [(String, String)], correlation: String,
                                   deadlineMilliseconds: Int) throws -> [String: Any] {
        try SiteQueryScript.ask(brokers: harness.cluster.bootstrapServers, queryTopic: Topics.priceQueries, answerTopic: Topics.priceAnswers,
                                replyKey: replyKey, messageType: PriceQuery.messageType, deadlineMilliseconds: deadlineMilliseconds,
                                payload: payload(account: account, lines: lines), correlation: correlation)
    }
}
