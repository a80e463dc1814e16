import CRdKafka

/// The librdkafka the process runs with (the shared library loaded, not the headers built against).
public enum KafkaLibrary {
    /// librdkafka's version string, e.g. `2.0.2`.
    public static var version: String { String(cString: rd_kafka_version_str()) }
}
