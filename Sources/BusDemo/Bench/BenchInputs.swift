import BusKafka
import BusSchema
import Foundation

/// Realistic inputs for `bus bench`: every record of one simulated business day, as the
/// demo's ERP and site simulators and the six workers wrote them on an embedded cluster,
/// kept by topic in partition order so they can be published again elsewhere.
struct BenchInputs {
    /// One record as it stood on its topic.
    struct Record: Sendable {
        let partition: Int32
        let key: String?
        let value: Data?
        let headers: [KafkaHeader]
        let source: String?
        let id: String?
    }

    /// The records of each topic, in the order read (offset order per partition).
    let byTopic: [String: [Record]]
    /// Every catalogue topic, with its partition count.
    let topics: [Topic]

    /// Lives one demo day of `orders` orders with the six workers inline, quietly, and keeps
    /// what it wrote.
    static func capture(orders: Int, seed: UInt64, catalogue: URL) throws -> BenchInputs {
        var options = DemoOptions()
        options.orders = orders
        options.seed = seed
        options.catalogue = catalogue
        options.cluster = .embedded(brokers: 1)
        options.workers = .inline
        let run = DemoRun(options: options, console: SilentConsole())
        let outcome = try run.run { cluster, directory in
            try WorkerFleet.start(options.workers, on: cluster, options: options, logDirectory: directory)
        }
        if let unfinished = outcome.unfinished { throw DemoError("the demo day that makes the inputs did not finish: \(unfinished)") }
        var byTopic: [String: [Record]] = [:]
        for record in outcome.journal.records {
            byTopic[record.topic, default: []].append(Record(partition: record.partition, key: record.key, value: record.value,
                                                              headers: record.headers, source: record.source, id: record.id))
        }
        let topics = try TopicCatalogue.load(from: Data(contentsOf: catalogue)).topics
        return BenchInputs(byTopic: byTopic, topics: topics)
    }

    /// The records of `topics` that `flow` did not write itself (its internal re-keying
    /// topics are its own work, not inputs), in topic then offset order.
    func inputs(of topics: [String], notWrittenBy flow: String) -> [(topic: String, record: Record)] {
        topics.flatMap { topic in
            (byTopic[topic] ?? []).filter { $0.source != "bus/\(flow)" }.map { (topic, $0) }
        }
    }

    /// The records as producer records, each to the partition it was read from.
    static func producerRecords(_ records: [(topic: String, record: Record)]) -> [ProducerRecord] {
        records.map { topic, record in
            ProducerRecord(topic: topic, partition: record.partition, key: record.key.map { Data($0.utf8) }, value: record.value,
                           headers: record.headers)
        }
    }
}

/// A console that keeps nothing: the day that makes the inputs is not the report.
private struct SilentConsole: DemoConsole {
    func line(_ text: String) {}
}
