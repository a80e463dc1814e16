import BusKafka
import BusRuntime
import BusSchema
import Foundation
import OrderIngestFlow

/// The price query on the same cluster as the availability figures: site → order-ingest →
/// `erp.price-queries` → an ERP answering at once → `erp.price-answers` → order-ingest →
/// `shop.price-answers`, four hops and two worker passes. The cache is off, so every query
/// makes the whole trip.
extension QueryBenchmark {
    func runPrices(cluster: EmbeddedCluster, created: Set<String>, config: KafkaConfig, bare: [Double]) throws {
        let flow = Self.priceFlow(cacheSeconds: 0)
        let topics = Set(flow.inputs + flow.tables + [flow.changelogTopic, flow.deadLetterTopic, Topics.erpPriceQueries, Topics.priceAnswers,
                                                     Topics.erpSalesOrders, Topics.shopOrderTracking, Topics.stockClaims])
        for topic in topics.subtracting(created).sorted() { try cluster.createTopic(topic, partitions: partitions) }
        try publishAll(priceTables(), config: config)
        let erp = try ImmediateERP(config: config, partitions: partitions)
        defer { erp.stop() }
        let worker = Self.priceWorker(flow, config: config)

        let prices = try roundTrips(config: config, count: count, answers: Topics.priceAnswers) { i in priceQuery(i, replyKey: "site-bench") }
        say(Self.line("price query", prices))
        say(String(format: "price p99 - round trip p99 = %.2f ms (four hops: site, order-ingest, ERP, order-ingest)",
                   Self.percentile(prices, 0.99) - Self.percentile(bare, 0.99)))

        let burstSize = max(1, burst / 5)
        let queries = (0..<burstSize).map { priceQuery(count + 100 + $0, replyKey: "site-\($0 % 60)") }
        let cpuBefore = worker.loopCPUSeconds
        let (done, seconds) = try timeBurst(of: queries, answeredOn: Topics.priceAnswers, config: config)
        say(String(format: "price burst: %d of %d queries answered by the ERP in %.2f s = %.0f queries/s (publication included)",
                   done, burstSize, seconds, Double(done) / seconds))
        say(Self.cpuLine("price (2 inputs each)", cpu: worker.loopCPUSeconds - cpuBefore, queries: done))
        worker.stop()

        // The cache as deployed (300 s): the same group goes on from its commits. Carts of
        // other SKUs first, so the cache fills (every ERP answer writes what it priced), then
        // the burst, which the cache answers in part. Before the cache was one value per SKU,
        // each ERP answer rewrote its partition's whole cache here (up to 1,000 prices).
        let cached = Self.priceWorker(Self.priceFlow(cacheSeconds: 300), config: config)
        defer { cached.stop() }
        try cached.waitUntilReady(timeout: .seconds(120))
        _ = try roundTrips(config: config, count: 10, answers: Topics.priceAnswers) { i in priceQuery(500_000 + i, replyKey: "site-bench") }
        let again = (0..<burstSize).map { priceQuery(count + 100 + burstSize + $0, replyKey: "site-\($0 % 60)") }
        let cachedCPUBefore = cached.loopCPUSeconds
        let (cachedDone, cachedSeconds) = try timeBurst(of: again, answeredOn: Topics.priceAnswers, config: config)
        say(String(format: "price burst, cache on (300 s): %d of %d queries answered in %.2f s = %.0f queries/s (publication included)",
                   cachedDone, burstSize, cachedSeconds, Double(cachedDone) / cachedSeconds))
        say(Self.cpuLine("price, cache on,", cpu: cached.loopCPUSeconds - cachedCPUBefore, queries: cachedDone))
    }

    /// order-ingest with the bench's ERP wait (long: every answer is the ERP's or the cache's).
    private static func priceFlow(cacheSeconds: Int) -> OrderIngest {
        var rules = OrderIngestRules.defaults
        rules.priceCacheSeconds = cacheSeconds
        rules.priceQueryERPWaitMs = 10_000
        return OrderIngest(rules: rules)
    }

    private static func priceWorker(_ flow: OrderIngest, config: KafkaConfig) -> BenchWorker<OrderIngest> {
        BenchWorker(Worker(flow: flow, kafka: config, groupID: "bench-prices", options: ProcessingOptions(),
                           logger: Logger(worker: flow.name, minimumLevel: .error), metricsRegistry: MetricsRegistry()))
    }

    /// The catalogue of the bench's SKUs and the asking B2B account.
    private func priceTables() -> [ProducerRecord] {
        let eur = Currency.eur
        let entries = (0..<skus).map { n in
            CatalogEntry(sku: SKU(rawValue: "SKU-\(n)"), name: LanguageCode("fr").map { [$0: "Article \(n)"] } ?? [:], categories: [], variants: [], images: [], unit: "C62",
                         vatRate: Rate("20") ?? .zero, priceExclTax: Money(amount: 1000, currency: eur), priceInclTax: Money(amount: 1200, currency: eur),
                         priceLists: [], publishedAt: Instant(Date()))
        }
        let link = IdentityLink(siteAccountID: "acc-bench", erpAccountCode: "C000777", status: .linked, matchedBy: .email,
                                changedAt: Instant(Date()), priceList: "B2B-GOLD")
        return entries.map { Self.record($0, topic: Topics.shopCatalog, key: $0.sku.rawValue) }
            + [Self.record(link, topic: Topics.customerIdentity, key: "acc-bench")]
    }

    private func priceQuery(_ i: Int, replyKey: String) -> ProducerRecord {
        let now = Date()
        let envelope = Envelope(
            id: "price-\(i)", source: "site/bench", type: PriceQuery.messageType, time: Instant(now),
            dataSchema: PriceQuery.schemaReference.uri, correlationID: "quote-\(i)", replyTo: Topics.priceAnswers,
            deadline: Instant(now.addingTimeInterval(600)))
        let query = PriceQuery(siteAccountID: "acc-bench", lines: (0..<cartSize).map {
            PriceQueryLine(sku: SKU(rawValue: "SKU-\((i * 7 + $0 * 131) % skus)"), quantity: Quantity(Int64(1 + $0)))
        })
        return ProducerRecord(topic: Topics.priceQueries, key: replyKey, value: MessageCodec().encode(query),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }

    fileprivate static func record<M: BusMessage>(_ message: M, topic: String, key: String) -> ProducerRecord {
        let envelope = Envelope(for: M.self, id: "\(topic)-\(key)", source: "bench", time: Instant(Date()))
        return ProducerRecord(topic: topic, key: key, value: MessageCodec().encode(message),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }
}

/// An ERP that answers every price query at once: every line at 9.99 excluding tax, under
/// the query's key and correlation id.
private final class ImmediateERP: @unchecked Sendable {
    private let stopFlag = StopFlag()
    private let done = DispatchSemaphore(value: 0)

    init(config: KafkaConfig, partitions: Int) throws {
        let consumer = try KafkaConsumer(config: config)
        let producer = try KafkaProducer(config: config)
        var start: [TopicPartition: StartOffset] = [:]
        for number in 0..<Int32(partitions) {
            let partition = TopicPartition(topic: Topics.erpPriceQueries, partition: number)
            start[partition] = .offset(try consumer.watermarks(partition).high)
        }
        try consumer.assign(start)
        Thread { [stopFlag, done] in
            let codec = MessageCodec()
            while !stopFlag.isSet {
                guard case .record(let record)? = consumer.poll(timeout: .milliseconds(50)), let value = record.value,
                      let query = try? codec.decode(ERPPriceQuery.self, from: value) else { continue }
                let answer = ERPPriceAnswer(erpAccountCode: query.erpAccountCode, lines: query.lines.map {
                    PricedLine(sku: $0.sku, quantity: $0.quantity, unitPriceExclTax: Money(amount: 999, currency: .eur))
                }, computedAt: Instant(Date()))
                let correlation = record.headers.first { $0.key == "ce_correlationid" }?.stringValue
                let envelope = Envelope(id: "erp-\(record.partition)-\(record.offset)", source: "erp/bench", type: ERPPriceAnswer.messageType,
                                        time: Instant(Date()), dataSchema: ERPPriceAnswer.schemaReference.uri, correlationID: correlation)
                producer.enqueue(ProducerRecord(topic: Topics.erpPriceAnswers, key: record.key, value: codec.encode(answer),
                                                headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })) { _ in }
            }
            producer.close()
            consumer.close()
            done.signal()
        }.start()
    }

    func stop() {
        stopFlag.set()
        done.wait()
    }
}
