import BusKafka
import BusSchema
import Foundation

/// Reads operators' requests for this worker from `bus.control`.
///
/// Every instance reads every partition, from the end (only requests made while it runs),
/// and acts on the requests keyed by its worker name for the partitions it owns, so a
/// resync covers every partition of the group exactly once. Each request id is acted on
/// once per instance.
final class ControlChannel: @unchecked Sendable {
    private let consumer: KafkaConsumer
    private let worker: String
    private let registry: MessageRegistry
    private var seen: Set<String> = []

    init?(worker: String, config: KafkaConfig, registry: MessageRegistry, logger: Logger) {
        var readerConfig = config
        readerConfig.groupID = nil
        do {
            consumer = try KafkaConsumer(config: readerConfig, onEvent: KafkaSettings.clientLog(logger, config: readerConfig))
            let partitions = try consumer.topics().first { $0.name == Topics.control }?.partitions ?? 0
            guard partitions > 0 else {
                logger.warn("control_topic_missing", .topic(Topics.control))
                consumer.close()
                return nil
            }
            try consumer.assign(Dictionary(uniqueKeysWithValues: (0..<Int32(partitions)).map {
                (TopicPartition(topic: Topics.control, partition: $0), StartOffset.end)
            }))
        } catch {
            logger.warn("control_unavailable", .errorCode(error.name))
            return nil
        }
        self.worker = worker
        self.registry = registry
    }

    /// The next request for this worker, if one is waiting; never blocks.
    func next() -> (request: FlowControl, input: FlowInput)? {
        while case .record(let record)? = consumer.poll(timeout: .zero) {
            guard record.keyString == worker, let value = record.value else { continue }
            let headers = record.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
            guard let (envelope, payload) = try? Envelope.read(headers: headers, value: value),
                  let request = try? registry.decode(envelope, payload: payload) as? ResyncRequest,
                  request.worker.rawValue == worker, seen.insert(request.requestID.rawValue).inserted
            else { continue }
            let keys: [String]? = request.scope == .all ? nil : request.keys
            return (.resync(keys: keys), FlowInput(envelope: envelope, message: request, key: worker, topic: Topics.control))
        }
        return nil
    }

    func close() {
        consumer.close()
    }
}
