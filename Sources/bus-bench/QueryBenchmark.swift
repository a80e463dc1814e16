import BusKafka
import BusRuntime
import BusSchema
import Foundation
import StockBroadcasterFlow

/// Live queries against the Kafka layer's own round trip, in one run on one cluster:
///
/// - round trip: a producer sends a record, a consumer assigned to its partition reads it;
///   one at a time, `count` times (p50/p99);
/// - availability query → answer: a site sends a query for a cart of `cartSize` SKUs and
///   reads its answer from its own answer partition; one at a time (p50/p99), then
///   `burst` queries published at once, answered by one stock-broadcaster worker (queries/s).
///
/// Every client has `linger.ms=0` and `fetch.wait.max.ms=1`, the settings of a latency path
/// (the producer's 5 ms default linger would otherwise be paid once per hop).
struct QueryBenchmark {
    let count: Int
    let burst: Int
    let cartSize = 5
    let skus = 1000
    let partitions = 6

    func run() throws {
        let cluster = try EmbeddedCluster(brokers: 1)
        let flow = StockBroadcaster(rules: StockBroadcasterRules(warehouses: [], mode: .quantity, limitedThreshold: Quantity(5), safetyStock: .zero))
        let topics = Set(flow.inputs + flow.tables + [flow.changelogTopic, flow.deadLetterTopic, Topics.exceptions, Topics.control,
                                        Topics.shopAvailability, Topics.availabilityAnswers, "bench.ping"])
        for topic in topics.sorted() { try cluster.createTopic(topic, partitions: partitions) }
        var config = cluster.clientConfig()
        config.set("fetch.wait.max.ms", "1")
        config.set("linger.ms", "0")

        let bare = try roundTrips(config: config, count: count) { i in
            ProducerRecord(topic: "bench.ping", key: "site-bench", value: Data(repeating: 0x7A, count: 120), headers: [])
        }

        try publishAll(StockMovements.records(count: skus * 2, skus: skus), config: config)
        let metrics = MetricsRegistry()
        let worker = BenchWorker(Worker(flow: flow, kafka: config, groupID: "bench-queries", options: ProcessingOptions(),
                                        logger: Logger(worker: flow.name, minimumLevel: .error), metricsRegistry: metrics))
        while RuntimeBenchmark<StockBroadcaster>.sum(metrics, "bus_records_consumed_total{topic=\"erp.stock\"}") < Double(skus * 2) {
            Thread.sleep(forTimeInterval: 0.02)
        }

        let queries = try roundTrips(config: config, count: count, answers: Topics.availabilityAnswers) { i in
            query(i, deadline: .seconds(30))
        }
        say("Live queries on the embedded cluster, one stock-broadcaster worker, carts of \(cartSize) of \(skus) SKUs, \(partitions) partitions")
        say(Self.line("kafka round trip", bare))
        say(Self.line("availability query", queries))
        say(String(format: "availability p99 - round trip p99 = %.2f ms; p50 difference %.2f ms",
                   Self.percentile(queries, 0.99) - Self.percentile(bare, 0.99), Self.percentile(queries, 0.5) - Self.percentile(bare, 0.5)))

        // Throughput: a burst published by 60 site instances (the mock broker keeps at
        // most 5 MiB per partition), timed from the start of its publication to the last answer:
        // the publishing counts against the worker, so the rate is a floor.
        let burstQueries = (0..<burst).map { query(count + $0, deadline: .seconds(600), replyKey: "site-\($0 % 60)") }
        let cpuBefore = worker.loopCPUSeconds
        let (done, seconds) = try timeBurst(of: burstQueries, answeredOn: Topics.availabilityAnswers, config: config)
        say(String(format: "availability burst: %d of %d queries answered in %.2f s = %.0f queries/s (publication included)",
                   done, burst, seconds, Double(done) / seconds))
        say(Self.cpuLine("availability", cpu: worker.loopCPUSeconds - cpuBefore, queries: done))
        worker.stop()
        try runPrices(cluster: cluster, created: topics, config: config, bare: bare)
    }

    /// Publishes `queries` at once and waits until as many answers are stored on `topic`,
    /// counted as a site sees them (the topic's end offsets, read every 10 ms: no worker
    /// metric is rendered meanwhile, which took a share of the two cores from the worker).
    /// Returns the answers stored and the seconds from the start of the publication to the last.
    func timeBurst(of queries: [ProducerRecord], answeredOn topic: String, config: KafkaConfig) throws -> (answers: Int, seconds: Double) {
        let reader = try KafkaConsumer(config: config)
        defer { reader.close() }
        let answerPartitions = (0..<Int32(partitions)).map { TopicPartition(topic: topic, partition: $0) }
        let stored = { () throws -> Int64 in try answerPartitions.reduce(0) { $0 + (try reader.watermarks($1).high) } }
        let before = try stored()
        let start = ContinuousClock.now
        try publishAll(queries, config: config)
        let deadline = start + .seconds(300)
        var answers = try stored() - before
        while answers < Int64(queries.count), ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
            answers = try stored() - before
        }
        return (Int(answers), (ContinuousClock.now - start).seconds)
    }

    /// An availability query keyed by the bench's reply key.
    private func query(_ i: Int, deadline: Duration, replyKey: String = "site-bench") -> ProducerRecord {
        let now = Date()
        let envelope = Envelope(
            id: "query-\(i)", source: "site/bench", type: AvailabilityQuery.messageType, time: Instant(now),
            dataSchema: AvailabilityQuery.schemaReference.uri, correlationID: "cart-\(i)", replyTo: Topics.availabilityAnswers,
            deadline: Instant(now.addingTimeInterval(deadline.seconds)))
        let cart = AvailabilityQuery(skus: (0..<cartSize).map { SKU(rawValue: "SKU-\((i * 7 + $0 * 131) % skus)") })
        return ProducerRecord(topic: Topics.availabilityQueries, key: replyKey, value: MessageCodec().encode(cart),
                              headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }

    /// Sends `make(i)` and waits for the record it leads to on `answers` (the record itself
    /// when nil), one at a time; returns each round trip in milliseconds.
    func roundTrips(config: KafkaConfig, count: Int, answers: String? = nil, _ make: (Int) -> ProducerRecord) throws -> [Double] {
        let producer = try KafkaProducer(config: config)
        let consumer = try KafkaConsumer(config: config)
        defer {
            producer.close()
            consumer.close()
        }
        let first = make(0)
        let topic = answers ?? first.topic
        let partition = Murmur2Partitioner.partition(of: first.key ?? Data(), partitions: Int32(partitions))
        // From the partition's end as it is now: `.end` is resolved later, after the first answer may be there.
        let mine = TopicPartition(topic: topic, partition: partition)
        try consumer.assign([mine: .offset(try consumer.watermarks(mine).high)])
        var times: [Double] = []
        // A few unmeasured rounds: connections and the assignment settle first.
        for i in -20..<count {
            let record = make(i < 0 ? 1_000_000 - i : i)
            let started = ContinuousClock.now
            producer.enqueue(record) { _ in }
            let deadline = started + .seconds(10)
            var received = false
            while !received, ContinuousClock.now < deadline {
                if case .record = consumer.poll(timeout: .milliseconds(100)) { received = true }
            }
            guard received else { throw BenchmarkError.incomplete("no answer within 10 s for round trip \(i)") }
            if i >= 0 { times.append((ContinuousClock.now - started).seconds * 1000) }
        }
        return times
    }

    /// The worker loop's CPU time per query, and the rate one core would sustain at that cost.
    static func cpuLine(_ name: String, cpu: Double, queries: Int) -> String {
        let perQuery = queries > 0 ? cpu / Double(queries) : 0
        return String(format: "%@ worker loop CPU: %.0f µs per query = %.0f queries/s per core of its own", name, perQuery * 1e6,
                      perQuery > 0 ? 1 / perQuery : 0)
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }

    static func line(_ name: String, _ times: [Double]) -> String {
        name.padding(toLength: 20, withPad: " ", startingAt: 0)
            + String(format: "p50 %6.2f ms  p99 %6.2f ms  (%d, one at a time)", percentile(times, 0.5), percentile(times, 0.99), times.count)
    }
}
