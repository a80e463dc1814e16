/// Something a Kafka client reports on its own: a log line or an error that is not tied to
/// one record. Delivered on librdkafka's threads; handlers must be quick and thread-safe.
public enum KafkaClientEvent: Sendable {
    /// A librdkafka log line: syslog level (0 emergency … 7 debug), facility, message.
    case log(level: Int32, facility: String, message: String)
    /// A client-level error. Most are transient (a broker went away) and librdkafka recovers
    /// by itself; `isFatal` ones mean the client is unusable and the process should exit.
    case error(KafkaError)
}

/// Receives a client's events. The default, `nil`, leaves librdkafka's own stderr logging.
public typealias KafkaClientEventHandler = @Sendable (KafkaClientEvent) -> Void
