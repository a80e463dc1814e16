import CRdKafka

/// The settings of one Kafka client: typed for what the bus uses, plus a raw pass-through.
///
/// Typed fields and raw properties are one mechanism: every typed field is rendered as the
/// librdkafka property it stands for, and raw properties (`set(_:_:)`, `KAFKA_<NAME>`
/// variables) are applied after them, so the last word is always the explicit one.
/// Values are checked by librdkafka itself when a client is built; a refused value fails
/// with librdkafka's own message and the property name, and never shows a secret's value.
public struct KafkaConfig: Sendable, Equatable {
    /// How the client authenticates and encrypts (`security.protocol`).
    public enum SecurityProtocol: String, Sendable {
        case plaintext, ssl
        case saslPlaintext = "sasl_plaintext"
        case saslSSL = "sasl_ssl"
    }

    /// How a consumer group spreads partitions (`partition.assignment.strategy`).
    ///
    /// Eager assignors only: librdkafka 2.0.2's cooperative-sticky assignor hangs and loops on
    /// close and during assignment (fixed in later releases), and every member of a group must
    /// list the same strategy or the mock cluster aborts.
    public enum Assignor: String, Sendable {
        case range, roundRobin = "roundrobin"
    }

    /// `bootstrap.servers`: comma-separated `host:port` list.
    public var brokers: String
    /// `client.id`, shown in broker logs and metrics.
    public var clientID: String?
    /// `group.id` for consumers that join a group.
    public var groupID: String?
    /// `security.protocol`.
    public var securityProtocol: SecurityProtocol?
    /// `sasl.mechanism` (e.g. `PLAIN`, `SCRAM-SHA-512`).
    public var saslMechanism: String?
    /// `sasl.username`.
    public var saslUsername: String?
    /// `sasl.password`: a secret, never logged or shown in errors.
    public var saslPassword: String?
    /// `ssl.ca.location`: path of the CA bundle.
    public var sslCALocation: String?
    /// `ssl.certificate.location`: path of the client certificate.
    public var sslCertificateLocation: String?
    /// `ssl.key.location`: path of the client key.
    public var sslKeyLocation: String?
    /// `session.timeout.ms` for group members.
    public var sessionTimeoutMs: Int?
    /// `partition.assignment.strategy`.
    public var assignor: Assignor?
    /// Raw librdkafka properties, applied after the typed ones, in insertion order.
    public private(set) var properties: [(String, String)] = []

    /// A configuration for the given bootstrap servers.
    public init(brokers: String) {
        self.brokers = brokers
    }

    /// Sets a raw librdkafka property, replacing an earlier value for the same name.
    public mutating func set(_ name: String, _ value: String) {
        properties.removeAll { $0.0 == name }
        properties.append((name, value))
    }

    /// The raw value of a property set with `set(_:_:)` or from the environment.
    public func value(of name: String) -> String? {
        properties.last { $0.0 == name }?.1
    }

    /// Which kind of client a configuration is rendered for.
    ///
    /// One configuration serves a worker's producer and consumer alike (one set of
    /// `KAFKA_*` variables); each client receives only the properties that concern it, so
    /// librdkafka's warnings about ignored properties stay meaningful.
    public enum Role: Sendable {
        case producer, consumer
    }

    /// Every property this configuration renders, typed ones first, in the order applied.
    public var renderedProperties: [(String, String)] {
        var out: [(String, String)] = [("bootstrap.servers", brokers)]
        func add(_ name: String, _ value: String?) { if let value { out.append((name, value)) } }
        add("client.id", clientID)
        add("group.id", groupID)
        add("security.protocol", securityProtocol?.rawValue)
        add("sasl.mechanism", saslMechanism)
        add("sasl.username", saslUsername)
        add("sasl.password", saslPassword)
        add("ssl.ca.location", sslCALocation)
        add("ssl.certificate.location", sslCertificateLocation)
        add("ssl.key.location", sslKeyLocation)
        add("session.timeout.ms", sessionTimeoutMs.map(String.init))
        add("partition.assignment.strategy", assignor?.rawValue)
        return out + properties
    }

    /// The properties that concern a client of `role`.
    public func renderedProperties(for role: Role) -> [(String, String)] {
        renderedProperties.filter { name, _ in
            switch role {
            case .producer: !Self.isConsumerOnly(name)
            case .consumer: !Self.isProducerOnly(name)
            }
        }
    }

    static func isConsumerOnly(_ name: String) -> Bool {
        let exact: Set = [
            "group.id", "group.instance.id", "session.timeout.ms", "heartbeat.interval.ms",
            "partition.assignment.strategy", "enable.auto.commit", "auto.commit.interval.ms",
            "enable.auto.offset.store", "auto.offset.reset", "enable.partition.eof",
            "max.poll.interval.ms", "isolation.level", "check.crcs", "queued.min.messages",
            "queued.max.messages.kbytes", "coordinator.query.interval.ms", "group.protocol.type",
        ]
        return exact.contains(name) || name.hasPrefix("fetch.")
    }

    static func isProducerOnly(_ name: String) -> Bool {
        let exact: Set = [
            "enable.idempotence", "enable.gapless.guarantee", "transactional.id",
            "transaction.timeout.ms", "linger.ms", "acks", "request.required.acks",
            "message.timeout.ms", "delivery.timeout.ms", "retries", "message.send.max.retries",
            "retry.backoff.ms", "compression.type", "compression.codec", "compression.level",
            "batch.num.messages", "batch.size", "partitioner", "sticky.partitioning.linger.ms",
            "max.in.flight", "max.in.flight.requests.per.connection", "request.timeout.ms",
        ]
        return exact.contains(name) || name.hasPrefix("queue.buffering.")
    }

    /// The properties with secret values replaced by `***`: what may be logged.
    public var redactedProperties: [(String, String)] {
        renderedProperties.map { Self.isSecret($0.0) ? ($0.0, "***") : $0 }
    }

    /// `text` with the value of every secret property replaced by `***`: for librdkafka's own
    /// messages before they are logged.
    public func redacting(_ text: String) -> String {
        renderedProperties.reduce(text) { text, property in
            Self.isSecret(property.0) && !property.1.isEmpty ? text.replacingOccurrences(of: property.1, with: "***") : text
        }
    }

    /// Whether a property holds a secret (passwords, keys, tokens): its value is never shown.
    public static func isSecret(_ property: String) -> Bool {
        let name = property.lowercased()
        return ["password", "secret", "key.pem", "token", "jaas"].contains { name.contains($0) }
    }

    public static func == (lhs: KafkaConfig, rhs: KafkaConfig) -> Bool {
        lhs.renderedProperties.elementsEqual(rhs.renderedProperties) { $0 == $1 }
    }
}

extension KafkaConfig {
    /// Builds a configuration from environment variables, as the Confluent images do; the
    /// rules (which `KAFKA_*` are taken, `*_FILE` secrets) are `KafkaEnvironment`'s.
    public static func fromEnvironment(_ environment: [String: String]) -> KafkaConfig {
        KafkaEnvironment(environment).config
    }

    /// Renders the configuration into a librdkafka configuration object, after `defaults`
    /// so that every explicit setting wins, checking each property with librdkafka.
    /// The caller owns the returned object.
    func makeNativeConfig(role: Role, defaults: [(String, String)]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE, message: "cannot allocate a configuration")
        }
        for (name, value) in defaults + renderedProperties(for: role) {
            var errstr = [CChar](repeating: 0, count: 512)
            let result = rd_kafka_conf_set(conf, name, value, &errstr, errstr.count)
            guard result == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                var reason = String(cStringBuffer: errstr)
                // librdkafka quotes the refused value in its message: hide it for secrets.
                if Self.isSecret(name) { reason = reason.replacingOccurrences(of: value, with: "***") }
                throw .configuration(property: name, reason: reason)
            }
        }
        return conf
    }
}
