import BusKafka
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A worker's Kafka settings from its environment (`KafkaEnvironment`'s rules), checked with
/// librdkafka at start, and how librdkafka's own log reaches the worker's JSON log.
///
/// Guarantees: `KAFKA_*` variables that name no librdkafka property are ignored with one
/// warning naming them (never their values); a `*_FILE` that cannot be read, or a setting
/// librdkafka refuses, is one `.invalidConfiguration` error naming the variable and
/// librdkafka's reason (the worker exits 2); `client.id` defaults to `<worker>-<hostname>`.
public enum KafkaSettings {
    /// The configuration of worker `worker`, checked as its producer will be built with
    /// `producerDefaults` on top of the Kafka layer's. Logs the ignored variables once.
    public static func read(
        worker: String, environment: [String: String], logger: Logger,
        producerDefaults: [(String, String)] = []
    ) throws(RuntimeError) -> KafkaConfig {
        let kafka = KafkaEnvironment(environment)
        if !kafka.ignored.isEmpty { logger.warn("kafka_variables_ignored", .variables(kafka.ignored)) }
        guard kafka.problems.isEmpty else {
            let list = kafka.problems.map(\.description).joined(separator: "; ")
            throw RuntimeError(.invalidConfiguration, "Kafka settings cannot be read: \(list)",
                               context: Dictionary(kafka.problems.map { ($0.variable, $0.reason) }, uniquingKeysWith: { a, _ in a }))
        }
        var config = kafka.config
        if config.value(of: "client.id") == nil { config.clientID = "\(worker)-\(hostname())" }
        var checked = config
        for (name, value) in producerDefaults where checked.value(of: name) == nil { checked.set(name, value) }
        do {
            try kafka.check(checked)
        } catch {
            throw RuntimeError(.invalidConfiguration, error.message,
                               context: error.context["variable"].map { [$0: error.message] } ?? [:])
        }
        return config
    }

    /// This machine's name (the pod's name in Kubernetes), or `localhost`.
    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// A handler writing librdkafka's log lines and client errors to `logger`, at their
    /// level, with every secret value of `config` replaced by `***`. Runs on librdkafka's
    /// threads: `Logger` is safe to call from any thread.
    public static func clientLog(_ logger: Logger, config: KafkaConfig) -> KafkaClientEventHandler {
        let redact = config.redacting
        return { event in
            switch event {
            case .log(let level, let facility, let message):
                logger.log(Self.level(ofSyslog: level), "kafka_client_log", .clientLog(facility: facility, message: redact(message)))
            case .error(let error):
                let line = LogField.clientLog(facility: "ERROR", message: redact(error.message))
                if error.isFatal { logger.error("kafka_fatal", .errorCode(error.name), line) }
                else { logger.info("kafka_client_error", .errorCode(error.name), line) }
            }
        }
    }

    /// syslog levels as librdkafka uses them: 0–3 error, 4 warning, 5–6 notice and info, 7 debug.
    static func level(ofSyslog level: Int32) -> LogLevel {
        switch level {
        case ...3: .error
        case 4: .warn
        case 5, 6: .info
        default: .debug
        }
    }
}
