import BusKafka
import Foundation
import Testing
@testable import BusRuntime

/// A worker's Kafka settings: client id default, one warning for ignored variables, refusals
/// as configuration errors, librdkafka's log at its level with secrets redacted.
@Suite("Worker Kafka settings")
struct KafkaSettingsTests {
    static func collecting() -> (Logger, Locked<[String]>) {
        let lines = Locked<[String]>([])
        return (Logger(worker: "w", minimumLevel: .debug, sink: LogSink { line in lines.update { $0.append(line) } }), lines)
    }

    @Test("client.id defaults to <worker>-<hostname>; KAFKA_CLIENT_ID wins")
    func clientID() throws {
        let (logger, _) = Self.collecting()
        let config = try KafkaSettings.read(worker: "order-ingest", environment: ["KAFKA_BROKERS": "localhost:1"], logger: logger)
        #expect(config.clientID == "order-ingest-\(KafkaSettings.hostname())")
        #expect(!KafkaSettings.hostname().isEmpty)
        let explicit = try KafkaSettings.read(worker: "order-ingest", environment: ["KAFKA_BROKERS": "localhost:1", "KAFKA_CLIENT_ID": "mine"], logger: logger)
        #expect(explicit.renderedProperties.last { $0.0 == "client.id" }?.1 == "mine")
    }

    @Test("ignored variables: one warning naming them all, no value")
    func oneWarning() throws {
        let (logger, lines) = Self.collecting()
        _ = try KafkaSettings.read(worker: "w", environment: ["KAFKA_BROKERS": "localhost:1", "KAFKA_OPTS": "-Xmx1g", "KAFKA_PORT": "tcp://10.0.0.1:9092"], logger: logger)
        #expect(lines.value == [lines.value.first { $0.contains("kafka_variables_ignored") && $0.contains("\"variables\":\"KAFKA_OPTS,KAFKA_PORT\"") } ?? "missing"])
        #expect(!lines.value.joined().contains("Xmx1g") && !lines.value.joined().contains("10.0.0.1"))
    }

    @Test("an unreadable secret file or a refused setting is an invalid configuration naming the variable")
    func refusals() {
        let (logger, _) = Self.collecting()
        #expect(throws: RuntimeError.self) {
            try KafkaSettings.read(worker: "w", environment: ["KAFKA_SASL_PASSWORD_FILE": "/nonexistent/secret"], logger: logger)
        }
        do {
            _ = try KafkaSettings.read(worker: "w", environment: ["KAFKA_BROKERS": "localhost:1", "KAFKA_MESSAGE_TIMEOUT_MS": "never"], logger: logger)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("KAFKA_MESSAGE_TIMEOUT_MS") && error.message.contains("message.timeout.ms"))
        }
    }

    @Test("librdkafka's lines reach the log at their level, secrets redacted", arguments: [
        (3, "error"), (4, "warn"), (5, "info"), (6, "info"), (7, "debug"),
    ] as [(Int32, String)])
    func clientLog(_ syslog: Int32, _ level: String) throws {
        let (logger, lines) = Self.collecting()
        var config = KafkaConfig(brokers: "b:9092")
        config.set("sasl.password", "hunter2")
        KafkaSettings.clientLog(logger, config: config)(.log(level: syslog, facility: "SASL", message: "auth with hunter2 failed: SSL handshake"))
        let line = try #require(lines.value.first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(json["level"] as? String == level)
        #expect(json["facility"] as? String == "SASL")
        #expect(json["message"] as? String == "auth with *** failed: SSL handshake")
    }
}
