import BusKafka
import BusSchema
import Foundation

/// Reads operators' requests for this worker from `bus.control`.
///
/// Every instance reads every partition, from the end (only requests made while it runs),
/// and acts on the requests keyed by its worker name for the partitions it owns, so a
/// resync covers every partition of the group exactly once. Each request id (a resync's
/// `request_id`, a command's or query's `ce_id`) is acted on once per instance, among the
/// last ten thousand (`RecentIDs`): the memory of requests stays bounded. A command counts
/// as acted on only by the instance that carried it out.
final class ControlChannel: @unchecked Sendable {
    /// One request read, as the loop runs it.
    enum Message {
        /// A resync (`ResyncRequest`), over every partition owned here.
        case resync(FlowControl, FlowInput)
        /// One of the flow's `commands`, for the partition of `entityKey`.
        case command(FlowInput, entityKey: String)
        /// One of the flow's `requests` whose request topic is `bus.control`.
        case request(FlowInput, RequestRoute)
    }

    private let consumer: KafkaConsumer
    private let worker: String
    private let registry: MessageRegistry
    private let commandTypes: Set<String>
    private let routes: [String: RequestRoute]
    private var seen = RecentIDs()

    /// A reader for `worker`, taking the message types of `commands` and of `routes` too.
    init?(worker: String, config: KafkaConfig, registry: MessageRegistry, logger: Logger,
          commands: [any EntityCommand.Type] = [], routes: [RequestRoute] = []) {
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
        commandTypes = Set(commands.map { $0.messageType })
        self.routes = Dictionary(routes.filter { $0.request.topic == Topics.control }.map { ($0.request.messageType, $0) },
                                 uniquingKeysWith: { first, _ in first })
    }

    /// The next request for this worker, if one is waiting; never blocks. Records of other
    /// workers, of types this worker does not take, or that do not decode, are skipped.
    func next() -> Message? {
        while case .record(let record)? = consumer.poll(timeout: .zero) {
            guard record.keyString == worker, let value = record.value else { continue }
            let headers = record.headers.compactMap { header in header.stringValue.map { (key: header.key, value: $0) } }
            guard let (envelope, message) = try? RecordReader(registry: registry).read(headers: headers, key: record.keyString, value: value) else { continue }
            let input = FlowInput(envelope: envelope, message: message, key: worker, topic: Topics.control)
            if let request = message as? ResyncRequest {
                guard request.worker.rawValue == worker, seen.insert(request.requestID.rawValue) else { continue }
                let keys: [String]? = request.scope == .all ? nil : request.keys
                return .resync(.resync(keys: keys), input)
            }
            let id = Self.requestID(envelope)
            if let command = message as? any EntityCommand, commandTypes.contains(envelope.type) {
                // Remembered only once carried out here (`carriedOut`): an instance that read
                // it before it owned the command's partition (restoring, rebalancing) takes
                // the operator's resend of the same record once it does.
                guard !seen.contains(id) else { continue }
                return .command(input, entityKey: command.entityKey)
            }
            guard seen.insert(id) else { continue }
            if let route = routes[envelope.type] { return .request(input, route) }
        }
        return nil
    }

    /// A command was carried out here: the same record read again is skipped.
    func carriedOut(_ input: FlowInput) {
        _ = seen.insert(Self.requestID(input.envelope))
    }

    private static func requestID(_ envelope: Envelope) -> String { envelope.type + " " + envelope.id }

    func close() {
        consumer.close()
    }
}
