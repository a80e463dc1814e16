import BusKafka
import Foundation
import Testing

/// Which `KAFKA_*` variables become librdkafka properties, and how `*_FILE` secrets are read.
@Suite("Kafka environment")
struct KafkaEnvironmentTests {
    @Test("only variables naming a librdkafka property are taken; service links and JVM options are ignored by name", arguments: [
        ("KAFKA_PORT", "tcp://10.0.0.1:9092", nil), ("KAFKA_SERVICE_HOST", "10.0.0.1", nil), ("KAFKA_PORT_9092_TCP_ADDR", "10.0.0.1", nil),
        ("KAFKA_OPTS", "-Xmx1g", nil), ("KAFKA_HEAP_OPTS", "-Xms512m", nil), ("KAFKA_", "x", nil),
        ("KAFKA_SASL_MECHANISM", "PLAIN", "sasl.mechanism"), ("KAFKA_SASL_PASSWORD", "s", "sasl.password"),
        ("KAFKA_PARTITIONER", "murmur2_random", "partitioner"), ("KAFKA_LINGER_MS", "soon", "linger.ms"),
    ] as [(String, String, String?)])
    func takenOrIgnored(_ variable: String, _ value: String, _ property: String?) {
        let environment = KafkaEnvironment([variable: value, "KAFKA_BROKERS": "b:9092", "PATH": "/bin"])
        #expect(environment.config.brokers == "b:9092")
        if let property {
            #expect(environment.config.value(of: property) == value)
            #expect(environment.variables[property] == variable)
            #expect(environment.ignored.isEmpty)
        } else {
            #expect(environment.ignored == [variable])
            #expect(environment.config.properties.isEmpty)
        }
    }

    @Test("KAFKA_<NAME>_FILE reads the property from a file, one trailing newline trimmed")
    func secretFiles() {
        let files = ["/run/secrets/password": Data("hunter2\n".utf8), "/run/secrets/crlf": Data("tok\r\n".utf8), "/run/secrets/two": Data("a\n\n".utf8)]
        let environment = KafkaEnvironment([
            "KAFKA_SASL_PASSWORD_FILE": "/run/secrets/password", "KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET_FILE": "/run/secrets/crlf",
            "KAFKA_SSL_KEY_PASSWORD_FILE": "/run/secrets/two", "KAFKA_SASL_USERNAME_FILE": "/missing",
            "KAFKA_PORT_FILE": "/run/secrets/password",
        ], readFile: { files[$0] })
        #expect(environment.config.value(of: "sasl.password") == "hunter2")
        #expect(environment.variables["sasl.password"] == "KAFKA_SASL_PASSWORD_FILE")
        #expect(environment.config.value(of: "sasl.oauthbearer.client.secret") == "tok")
        #expect(environment.config.value(of: "ssl.key.password") == "a\n", "only one newline is trimmed")
        #expect(environment.problems.map(\.variable) == ["KAFKA_SASL_USERNAME_FILE"])
        #expect(environment.problems.first?.reason.contains("/missing") == false, "the path is not repeated either")
        #expect(environment.ignored == ["KAFKA_PORT_FILE"])
    }

    @Test("a setting given both directly and as a file is a problem naming the file variable")
    func both() {
        let environment = KafkaEnvironment(["KAFKA_SASL_PASSWORD": "a", "KAFKA_SASL_PASSWORD_FILE": "/f"], readFile: { _ in Data("b".utf8) })
        #expect(environment.problems.map(\.variable) == ["KAFKA_SASL_PASSWORD_FILE"])
        #expect(environment.config.value(of: "sasl.password") == "a")
    }

    @Test("a refusal at start names the variable and librdkafka's reason, never a secret", arguments: [
        (["KAFKA_LINGER_MS": "soon"], "KAFKA_LINGER_MS"),
        (["KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "KAFKA_SASL_MECHANISM": "BOGUS", "KAFKA_SASL_USERNAME": "u", "KAFKA_SASL_PASSWORD": "hunter2"], "KAFKA_SASL_MECHANISM"),
        (["KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "KAFKA_SASL_MECHANISM": "PLAIN"], "KAFKA_SASL_USERNAME"),
    ] as [([String: String], String)])
    func refusal(_ variables: [String: String], _ named: String) {
        let environment = KafkaEnvironment(variables.merging(["KAFKA_BROKERS": "localhost:1"]) { $1 })
        do {
            try environment.check()
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains(named), "\(error.message)")
            #expect(error.context["variable"] == named)
            #expect(!error.description.contains("hunter2"))
        }
        #expect(throws: Never.self) { try KafkaEnvironment(["KAFKA_BROKERS": "localhost:1"]).check() }
    }

    @Test("secret values are redacted from any text, other values kept")
    func redacting() {
        var config = KafkaConfig(brokers: "b:9092")
        config.set("sasl.password", "hunter2")
        config.set("sasl.username", "bus")
        #expect(config.redacting("auth hunter2 failed for bus") == "auth *** failed for bus")
    }
}
