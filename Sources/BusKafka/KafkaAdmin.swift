import CRdKafka

/// A topic to create through the admin API.
public struct NewTopic: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// The partition count.
    public var partitions: Int
    /// The replication factor.
    public var replicationFactor: Int
    /// Topic-level settings, e.g. `cleanup.policy` and `retention.ms`.
    public var configs: [String: String]

    /// A topic description.
    public init(name: String, partitions: Int, replicationFactor: Int, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// The cluster administration the operator tools need: create topics, read topic settings.
///
/// Every call is bounded by its `timeout` and then throws `_TIMED_OUT`: a cluster that does
/// not answer admin requests (librdkafka's mock cluster has no admin API) makes a caller
/// wait, never hang. Per-topic outcomes are returned, not thrown: one refused topic does not
/// hide the others.
public final class KafkaAdmin: @unchecked Sendable {
    private let client: NativeClient

    /// An admin client for the cluster of `config` (a producer handle that never produces).
    public init(config: KafkaConfig, onEvent: KafkaClientEventHandler? = nil) throws(KafkaError) {
        client = try NativeClient(type: RD_KAFKA_PRODUCER, config: config, defaults: [], onEvent: onEvent)
    }

    /// Every topic the cluster knows, with partition counts, sorted by name.
    public func topics(timeout: Duration = .seconds(10)) throws(KafkaError) -> [TopicMetadata] {
        try client.topics(timeout: timeout)
    }

    /// How many brokers the cluster has: the highest replication factor a new topic can get.
    public func brokerCount(timeout: Duration = .seconds(10)) throws(KafkaError) -> Int {
        try client.brokerCount(timeout: timeout)
    }

    /// Creates `topics`; the broker waits up to `timeout` for each to exist.
    /// - Returns: each topic's outcome (`TOPIC_ALREADY_EXISTS` is an error like any other).
    /// - Throws: `KafkaError` when the request as a whole failed or timed out.
    public func createTopics(_ topics: [NewTopic], timeout: Duration) throws(KafkaError) -> [String: Result<Void, KafkaError>] {
        guard !topics.isEmpty else { return [:] }
        var newTopics: [OpaquePointer?] = []
        // The NewTopic objects stay ours: rd_kafka_CreateTopics copies them (rdkafka.h,
        // "rd_kafka_CreateTopics"), so they are destroyed here whatever happens.
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for topic in topics {
            var errstr = [CChar](repeating: 0, count: 512)
            guard let newTopic = rd_kafka_NewTopic_new(
                topic.name, Int32(clamping: topic.partitions), Int32(clamping: topic.replicationFactor), &errstr, errstr.count)
            else {
                throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: String(cStringBuffer: errstr), context: ["topic": topic.name])
            }
            newTopics.append(newTopic)
            for (name, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                let err = rd_kafka_NewTopic_set_config(newTopic, name, value)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: ["topic": topic.name, "config": name]) }
            }
        }
        let event = try run(RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout: timeout, operation: "CreateTopics") { options, queue in
            newTopics.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        guard let result = rd_kafka_event_CreateTopics_result(event),
              let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return [:] }
        var outcomes: [String: Result<Void, KafkaError>] = [:]
        for index in 0..<count {
            guard let item = results[index] else { continue }
            let name = String(cString: rd_kafka_topic_result_name(item))
            let err = rd_kafka_topic_result_error(item)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                outcomes[name] = .success(())
            } else {
                let text = rd_kafka_topic_result_error_string(item).map { String(cString: $0) }
                outcomes[name] = .failure(KafkaError(err, message: text, context: ["topic": name]))
            }
        }
        return outcomes
    }

    /// The settings of each topic in `names` (explicit and default values; sensitive ones left out).
    /// - Throws: `KafkaError` when the request as a whole failed or timed out.
    public func topicConfigs(_ names: [String], timeout: Duration) throws(KafkaError) -> [String: Result<[String: String], KafkaError>] {
        guard !names.isEmpty else { return [:] }
        var resources: [OpaquePointer?] = names.map { rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, $0) }
        // Ours as for CreateTopics: rd_kafka_DescribeConfigs copies the resources.
        defer { for resource in resources { rd_kafka_ConfigResource_destroy(resource) } }
        let event = try run(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout: timeout, operation: "DescribeConfigs") { options, queue in
            resources.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_DescribeConfigs(client.handle, buffer.baseAddress, buffer.count, options, queue)
            }
        }
        defer { rd_kafka_event_destroy(event) }
        var count = 0
        guard let result = rd_kafka_event_DescribeConfigs_result(event),
              let described = rd_kafka_DescribeConfigs_result_resources(result, &count) else { return [:] }
        var outcomes: [String: Result<[String: String], KafkaError>] = [:]
        for index in 0..<count {
            guard let resource = described[index] else { continue }
            let name = String(cString: rd_kafka_ConfigResource_name(resource))
            let err = rd_kafka_ConfigResource_error(resource)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                let text = rd_kafka_ConfigResource_error_string(resource).map { String(cString: $0) }
                outcomes[name] = .failure(KafkaError(err, message: text, context: ["topic": name]))
                continue
            }
            var entryCount = 0
            var settings: [String: String] = [:]
            if let entries = rd_kafka_ConfigResource_configs(resource, &entryCount) {
                for entryIndex in 0..<entryCount {
                    // Sensitive entries come back with a NULL value: they are simply absent here.
                    guard let entry = entries[entryIndex], let value = rd_kafka_ConfigEntry_value(entry) else { continue }
                    settings[String(cString: rd_kafka_ConfigEntry_name(entry))] = String(cString: value)
                }
            }
            outcomes[name] = .success(settings)
        }
        return outcomes
    }

    /// Starts one admin operation and waits for its result event, which the caller destroys.
    private func run(
        _ api: rd_kafka_admin_op_t, timeout: Duration, operation: String,
        start: (OpaquePointer?, OpaquePointer?) -> Void
    ) throws(KafkaError) -> OpaquePointer {
        let milliseconds = Int32(clamping: max(timeout.milliseconds, 1))
        guard let queue = rd_kafka_queue_new(client.handle) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE, message: "cannot create a result queue")
        }
        // Destroying the queue while a request is still in flight is allowed: librdkafka keeps
        // its own reference and drops the late result.
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(client.handle, api)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errstr = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, milliseconds, &errstr, errstr.count)
        if api == RD_KAFKA_ADMIN_OP_CREATETOPICS {
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, milliseconds, &errstr, errstr.count)
        }
        start(options, queue)
        // The request timeout makes librdkafka post a _TIMED_OUT result itself; the margin
        // only guards against that result never coming.
        guard let event = rd_kafka_queue_poll(queue, milliseconds + 2000) else {
            throw KafkaError.timedOut("\(operation) (no answer within \(milliseconds) ms)")
        }
        let err = rd_kafka_event_error(event)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) }
            rd_kafka_event_destroy(event)
            throw KafkaError(err, message: text, context: ["operation": operation])
        }
        return event
    }
}
