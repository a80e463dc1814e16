import BusKafka

/// What a running worker is: `bus_build_info{worker,version,librdkafka} 1`, the usual
/// Prometheus idiom for joining a version onto other series.
public enum BuildInfo {
    /// The bus release; the image tag of `deploy/kubernetes` carries the same (a CI check
    /// compares them).
    public static let version = "1.0.0"

    /// Registers the info series for `worker`.
    static func register(worker: String, in registry: MetricsRegistry) throws(RuntimeError) {
        let info = try registry.gauge(
            "bus_build_info", help: "The worker, bus release and librdkafka version; always 1.",
            labels: ["worker", "version", "librdkafka"])
        info.set(1, labels: ["worker": worker, "version": version, "librdkafka": KafkaLibrary.version])
    }
}
