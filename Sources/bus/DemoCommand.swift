import BusKafka
import BusSchema
import Foundation

/// `bus demo`: the bus on an embedded cluster.
///
/// Until the six workers run here, this is the smoke run: an embedded cluster with every
/// catalogue topic, one example of every message type published as an outside system would
/// (CloudEvents binary headers), read back and decoded as a worker does.
struct DemoCommand: BusCommand {
    let name = "demo"
    let summary = "run the bus on an embedded Kafka cluster and check what comes out"
    let usage = """
    usage:
      bus demo [--catalogue FILE] [--examples DIR]
    Starts an embedded cluster (librdkafka's mock brokers), creates the catalogue's topics,
    publishes one example of every message type and reads each back through the schema.
    Exit code 0 when everything round-trips.
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: ["catalogue", "examples"])
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'") }
        let catalogueURL = URL(fileURLWithPath: parsed.options["catalogue"] ?? "topics/topics.json")
        let examples = URL(fileURLWithPath: parsed.options["examples"] ?? "topics/examples", isDirectory: true)
        do {
            return try smoke(catalogueURL: catalogueURL, examples: examples, output: output)
        } catch {
            output.error("bus demo: \(error)")
            return .failure
        }
    }

    private func smoke(catalogueURL: URL, examples: URL, output: Output) throws -> ExitCode {
        let started = ContinuousClock.now
        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: catalogueURL))
        let cluster = try EmbeddedCluster(brokers: 3)
        for topic in catalogue.topics { try cluster.createTopic(topic.name, partitions: topic.partitions, replicationFactor: 3) }
        output.line("embedded cluster: 3 brokers at \(cluster.bootstrapServers), \(catalogue.topics.count) topics")

        let producer = try KafkaProducer(config: cluster.clientConfig(clientID: "demo"))
        var sent = 0
        for type in MessageRegistry.standard.all {
            let reference = type.schemaReference
            guard let topic = catalogue.topics.first(where: { $0.messageTypes.contains(reference.messageType) }) else { continue }
            let value = try Data(contentsOf: examples.appendingPathComponent(reference.fileName))
            let envelope = Envelope(id: UUID().uuidString.lowercased(), source: "bus/demo", type: reference.messageType,
                                    time: Instant(Date()), dataSchema: reference.uri)
            let record = ProducerRecord(topic: topic.name, key: "demo-\(sent)", value: value,
                                        headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
            let report = try producerSend(producer, record)
            output.line("  sent \(reference.messageType) to \(report.topic)[\(report.partition)]@\(report.offset)")
            sent += 1
        }
        producer.close()

        var readerConfig = cluster.clientConfig(clientID: "demo-reader")
        readerConfig.set("enable.partition.eof", "true")
        let reader = try KafkaConsumer(config: readerConfig)
        defer { reader.close() }
        var start: [TopicPartition: StartOffset] = [:]
        for topic in catalogue.topics {
            for partition in 0..<topic.partitions { start[TopicPartition(topic: topic.name, partition: Int32(partition))] = .beginning }
        }
        try reader.assign(start)
        var decoded = 0
        var failures: [String] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while decoded + failures.count < sent, ContinuousClock.now < deadline {
            guard case .record(let record)? = reader.poll(timeout: .milliseconds(50)) else { continue }
            let headers = record.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
            do {
                let (envelope, payload) = try Envelope.read(headers: headers, value: record.value ?? Data())
                _ = try MessageRegistry.standard.decode(envelope, payload: payload)
                decoded += 1
            } catch {
                failures.append("\(record.topic)[\(record.partition)]@\(record.offset): \(error)")
            }
        }
        failures.forEach { output.error("  not accepted: \($0)") }
        let seconds = Double((ContinuousClock.now - started).components.seconds)
        output.line("read back and validated \(decoded) of \(sent) messages in \(Int(seconds)) s")
        return decoded == sent && failures.isEmpty ? .success : .failure
    }

    /// Sends one record and waits for its acknowledgement, from synchronous code.
    private func producerSend(_ producer: KafkaProducer, _ record: ProducerRecord) throws -> DeliveryReport {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<DeliveryReport, KafkaError>?
        producer.enqueue(record) { result in
            outcome = result
            done.signal()
        }
        done.wait()
        guard let outcome else { throw KafkaError.timedOut("sending to \(record.topic)") }
        return try outcome.get()
    }
}
