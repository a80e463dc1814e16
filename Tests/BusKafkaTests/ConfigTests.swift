import BusKafka
import Foundation
import Testing

@Suite("Kafka configuration")
struct ConfigTests {
    @Test("KAFKA_* variables map to librdkafka properties, KAFKA_BROKERS to bootstrap.servers")
    func fromEnvironment() {
        let config = KafkaConfig.fromEnvironment([
            "KAFKA_BROKERS": "b1:9092,b2:9092",
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "KAFKA_SASL_PASSWORD": "hunter2",
            "KAFKA_SSL_CA_LOCATION": "/etc/ca.pem",
            "OTHER": "ignored",
        ])
        #expect(config.brokers == "b1:9092,b2:9092")
        #expect(config.value(of: "security.protocol") == "SASL_SSL")
        #expect(config.value(of: "sasl.mechanism") == "SCRAM-SHA-512")
        #expect(config.value(of: "sasl.password") == "hunter2")
        #expect(config.value(of: "ssl.ca.location") == "/etc/ca.pem")
        #expect(config.renderedProperties.count == 5)
        #expect(KafkaConfig.fromEnvironment([:]).brokers == "localhost:9092")
    }

    @Test("secrets are redacted wherever properties are shown")
    func redaction() {
        var config = KafkaConfig(brokers: "b:9092")
        config.saslPassword = "hunter2"
        config.set("ssl.key.password", "s3cret")
        config.set("sasl.oauthbearer.client.secret", "tok")
        let shown = config.redactedProperties.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        #expect(!shown.contains("hunter2") && !shown.contains("s3cret") && !shown.contains("tok"))
        #expect(shown.contains("sasl.password=***"))
    }

    @Test("typed settings render as their librdkafka properties; explicit raw values win")
    func typedSettings() {
        var config = KafkaConfig(brokers: "b:9092")
        config.groupID = "g"
        config.securityProtocol = .saslSSL
        config.assignor = .roundRobin
        config.sessionTimeoutMs = 6000
        config.set("session.timeout.ms", "7000")
        let rendered = config.renderedProperties(for: .consumer)
        #expect(rendered.first { $0.0 == "group.id" }?.1 == "g")
        #expect(rendered.first { $0.0 == "security.protocol" }?.1 == "sasl_ssl")
        #expect(rendered.last { $0.0 == "session.timeout.ms" }?.1 == "7000")
        let producer = config.renderedProperties(for: .producer)
        #expect(!producer.contains { $0.0 == "group.id" || $0.0 == "session.timeout.ms" })
    }

    @Test("a bad value fails at start with librdkafka's reason and the property name", arguments: [
        ("linger.ms", "soon"),
        ("security.protocol", "carrier-pigeon"),
        ("no.such.property", "1"),
    ])
    func badValue(property: String, value: String) {
        var config = KafkaConfig(brokers: "localhost:1")
        config.set(property, value)
        do {
            _ = try KafkaProducer(config: config)
            Issue.record("accepted \(property)=\(value)")
        } catch {
            #expect(error.context["property"] == property)
            #expect(error.message.contains(property))
            #expect(error.message.count > "invalid Kafka setting \(property): ".count, "librdkafka's reason is included")
        }
    }

    @Test("a refused secret is named, never shown")
    func refusedSecret() {
        var config = KafkaConfig(brokers: "localhost:1")
        config.set("sasl.password.typo", "hunter2")
        do {
            _ = try KafkaConsumer(config: config)
            Issue.record("accepted an unknown property")
        } catch {
            #expect(error.message.contains("sasl.password.typo"))
            #expect(!error.description.contains("hunter2"))
        }
    }
}
