import CRdKafka
import Foundation

/// An in-process Kafka cluster on librdkafka's mock cluster, for development, the demo and
/// the tests.
///
/// It speaks the Kafka protocol on random loopback ports (`bootstrapServers`), so any client
/// in any process can use it. What it is not (librdkafka 2.0.2): no admin API (create topics
/// here), no compaction, no topic configs, in-memory only, transactions not real. The first
/// group join takes 3 s and later rebalances `session.timeout.ms` − 1 s: `clientConfig()`
/// sets 6 s.
public final class EmbeddedCluster: @unchecked Sendable {
    /// A Kafka protocol request type, for error injection.
    public enum API: Int16, Sendable {
        case produce = 0, fetch = 1, listOffsets = 2, metadata = 3
        case offsetCommit = 8, offsetFetch = 9, findCoordinator = 10
        case joinGroup = 11, heartbeat = 12, leaveGroup = 13, syncGroup = 14
        case initProducerID = 22
    }

    /// The client handle that owns the mock cluster; nothing else uses it.
    private let owner: OpaquePointer
    private let mock: OpaquePointer
    /// `host:port,…` of every broker.
    public let bootstrapServers: String
    /// The broker ids, 1 through the broker count.
    public let brokerIDs: [Int32]

    /// Starts a cluster of `brokers` brokers on loopback.
    public init(brokers: Int = 1) throws(KafkaError) {
        let conf = try KafkaConfig(brokers: "").makeNativeConfig(role: .producer, defaults: [("log_level", "3")])
        var errstr = [CChar](repeating: 0, count: 512)
        guard let owner = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(RD_KAFKA_RESP_ERR__FAIL, message: "cannot start the embedded cluster: \(String(cStringBuffer: errstr))")
        }
        guard let mock = rd_kafka_mock_cluster_new(owner, Int32(clamping: brokers)) else {
            rd_kafka_destroy(owner)
            throw KafkaError(RD_KAFKA_RESP_ERR__FAIL, message: "cannot start the embedded cluster's brokers")
        }
        self.owner = owner
        self.mock = mock
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(mock))
        brokerIDs = (1...Int32(clamping: max(brokers, 1))).map { $0 }
    }

    deinit {
        // The mock cluster must go before the handle that owns it (rdkafka_mock.h).
        rd_kafka_mock_cluster_destroy(mock)
        rd_kafka_destroy(owner)
    }

    /// Creates a topic. Without this, a topic is auto-created with 4 partitions on first use.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(
            mock, name, Int32(clamping: partitions), Int32(clamping: min(replicationFactor, brokerIDs.count)))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(err, context: ["topic": name]) }
    }

    /// A client configuration for this cluster, tuned for it: 6 s sessions (rebalances wait
    /// the session timeout − 1 s here) and a 10 ms fetch wait (an empty fetch waits all of it).
    public func clientConfig(clientID: String? = nil, groupID: String? = nil) -> KafkaConfig {
        var config = KafkaConfig(brokers: bootstrapServers)
        config.clientID = clientID
        config.groupID = groupID
        config.sessionTimeoutMs = 6000
        config.set("fetch.wait.max.ms", "10")
        config.set("heartbeat.interval.ms", "500")
        return config
    }

    /// Takes a broker off the network: its connections close and new ones are refused.
    public func setBrokerDown(_ brokerID: Int32) {
        _ = rd_kafka_mock_broker_set_down(mock, brokerID)
    }

    /// Brings a broker back.
    public func setBrokerUp(_ brokerID: Int32) {
        _ = rd_kafka_mock_broker_set_up(mock, brokerID)
    }

    /// Adds a round-trip time to every request a broker answers.
    public func setRoundTripTime(_ duration: Duration, broker brokerID: Int32) {
        _ = rd_kafka_mock_broker_set_rtt(mock, brokerID, Int32(clamping: duration.milliseconds))
    }

    /// Makes the next requests of type `api`, on any broker, fail with `errors`, in order.
    public func injectErrors(_ errors: [KafkaErrorCode], on api: API) {
        var codes = errors.map { rd_kafka_resp_err_t(rawValue: $0.rawValue) }
        rd_kafka_mock_push_request_errors_array(mock, api.rawValue, codes.count, &codes)
    }

    /// Clears injected errors for `api`.
    public func clearInjectedErrors(on api: API) {
        rd_kafka_mock_clear_request_errors(mock, api.rawValue)
    }

    /// Makes `brokerID` the coordinator of consumer group `group` (by default the mock picks one
    /// by the group id's hash): a test can then take other brokers down and keep the group.
    public func setGroupCoordinator(_ group: String, broker brokerID: Int32) {
        _ = rd_kafka_mock_coordinator_set(mock, "group", group, brokerID)
    }

    /// Moves a partition's leadership to another broker.
    public func setPartitionLeader(topic: String, partition: Int32, broker brokerID: Int32) {
        _ = rd_kafka_mock_partition_set_leader(mock, topic, partition, brokerID)
    }
}

/// A Kafka protocol error code, as librdkafka numbers them.
public struct KafkaErrorCode: RawRepresentable, Sendable, Hashable {
    /// librdkafka's `rd_kafka_resp_err_t` value.
    public let rawValue: Int32
    /// A code from its number.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The partition's leader moved: clients refresh metadata and retry.
    public static let notLeaderForPartition = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue)
    /// The broker did not answer in time.
    public static let requestTimedOut = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue)
    /// Too few in-sync replicas to accept the write.
    public static let notEnoughReplicas = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS.rawValue)
    /// The partition has no leader right now.
    public static let leaderNotAvailable = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE.rawValue)
    /// The group coordinator is unavailable.
    public static let coordinatorNotAvailable = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE.rawValue)
    /// The record is larger than the broker accepts.
    public static let messageTooLarge = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue)
    /// Messages timed out in the client before delivery.
    public static let messageTimedOut = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue)
    /// The client was closed with records still queued.
    public static let purgedQueue = KafkaErrorCode(rawValue: RD_KAFKA_RESP_ERR__PURGE_QUEUE.rawValue)
}

extension KafkaError {
    /// The code as a `KafkaErrorCode`, for comparisons.
    public var errorCode: KafkaErrorCode { KafkaErrorCode(rawValue: code) }
}
