import CRdKafka

/// The one error type of the Kafka layer.
///
/// It carries librdkafka's error code and name, whether retrying can help, whether the
/// client is now unusable, and a message a person can act on. It never carries a record's
/// payload or a secret: configuration values are named, not shown, when they are sensitive.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// librdkafka's `rd_kafka_resp_err_t` value (negative for client-side errors).
    public let code: Int32
    /// librdkafka's symbolic name for `code`, e.g. `MSG_SIZE_TOO_LARGE` or `_TRANSPORT`.
    public let name: String
    /// What went wrong and, where known, what to do about it.
    public let message: String
    /// Retrying the same operation later may succeed (broker unavailable, timeouts).
    public let isRetriable: Bool
    /// The client instance is unusable: the process should exit and be restarted.
    public let isFatal: Bool
    /// Where it happened: a topic, a partition, a configuration property.
    public let context: [String: String]

    /// Builds an error with an explicit classification.
    public init(
        code: Int32, name: String, message: String,
        isRetriable: Bool, isFatal: Bool, context: [String: String] = [:]
    ) {
        self.code = code
        self.name = name
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.context = context
    }

    public var description: String {
        let where_ = context.keys.sorted().map { "\($0)=\(context[$0] ?? "")" }.joined(separator: " ")
        return "\(name) (\(code)): \(message)" + (where_.isEmpty ? "" : " [\(where_)]")
    }
}

extension KafkaError {
    /// An error from a librdkafka response code, classified by the code alone.
    init(_ err: rd_kafka_resp_err_t, message: String? = nil, context: [String: String] = [:]) {
        let name = String(cString: rd_kafka_err2name(err))
        let text = message ?? String(cString: rd_kafka_err2str(err))
        self.init(
            code: err.rawValue, name: name, message: text,
            isRetriable: Self.retriableCodes.contains(err),
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL,
            context: context)
    }

    /// An error from a librdkafka error object, which knows its own classification.
    /// The object is destroyed here: librdkafka hands ownership to the caller.
    init(consuming error: OpaquePointer, context: [String: String] = [:]) {
        let code = rd_kafka_error_code(error)
        self.init(
            code: code.rawValue,
            name: String(cString: rd_kafka_error_name(error)),
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0 || Self.retriableCodes.contains(code),
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            context: context)
        rd_kafka_error_destroy(error)
    }

    /// A configuration property was refused at start.
    static func configuration(property: String, reason: String) -> KafkaError {
        KafkaError(
            code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, name: "_INVALID_ARG",
            message: "invalid Kafka setting \(property): \(reason)",
            isRetriable: false, isFatal: false, context: ["property": property])
    }

    /// The operation waited longer than it was allowed to.
    public static func timedOut(_ what: String) -> KafkaError {
        KafkaError(RD_KAFKA_RESP_ERR__TIMED_OUT, message: "\(what) timed out")
    }

    /// The client was closed before the operation could finish.
    static let closed = KafkaError(
        code: RD_KAFKA_RESP_ERR__DESTROY.rawValue, name: "_DESTROY",
        message: "the Kafka client is closed", isRetriable: false, isFatal: false)

    /// Codes for which a later retry may succeed: the broker or the network, not the record.
    static let retriableCodes: Set<rd_kafka_resp_err_t> = [
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT,
        RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE, RD_KAFKA_RESP_ERR__QUEUE_FULL,
        RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR__RESOLVE,
        RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
        RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR,
        RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH, RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH,
        RD_KAFKA_RESP_ERR_OFFSET_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
        RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED,
    ]
}
