import CRdKafka
import Foundation

/// The Kafka settings of a process's environment, as the Confluent images read them, with
/// what a real cluster environment also holds left out.
///
/// Rules:
/// - `KAFKA_BROKERS` gives `bootstrap.servers` (default `localhost:9092`).
/// - `KAFKA_<NAME>` sets the librdkafka property `<name>` (lower case, `_` read as `.`), but
///   only when librdkafka knows that property. Others are `ignored`, by name only: a
///   Kubernetes Service named `kafka` injects `KAFKA_PORT=tcp://…`, `KAFKA_SERVICE_HOST`,
///   `KAFKA_PORT_9092_TCP_ADDR`, …, and operators' JVM tools read `KAFKA_OPTS` and
///   `KAFKA_HEAP_OPTS`; none of them is meant for this client.
/// - `KAFKA_<NAME>_FILE` sets `<name>` from the file's contents, one trailing newline
///   trimmed: the container-secrets convention (`KAFKA_SASL_PASSWORD_FILE=/run/secrets/kafka`).
///   Setting both `KAFKA_<NAME>` and `KAFKA_<NAME>_FILE`, or naming an unreadable file, is a
///   problem naming the variable.
/// Variables are applied in name order, so the result does not depend on the environment's.
public struct KafkaEnvironment: Sendable {
    /// A variable that could not be used, and why (never its value).
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The variable, e.g. `KAFKA_SASL_PASSWORD_FILE`.
        public var variable: String
        /// Why, in words an operator can act on.
        public var reason: String
        /// "`variable`: reason".
        public var description: String { "\(variable): \(reason)" }
    }

    /// The configuration the usable variables give.
    public private(set) var config: KafkaConfig
    /// `KAFKA_*` variables that name no librdkafka property, sorted: ignored.
    public private(set) var ignored: [String] = []
    /// Variables that name a property but could not be used.
    public private(set) var problems: [Problem] = []
    /// The variable each property set from the environment came from.
    public private(set) var variables: [String: String] = ["bootstrap.servers": "KAFKA_BROKERS"]

    static let prefix = "KAFKA_"
    static let fileSuffix = EnvironmentSecret.fileSuffix

    /// Reads `environment`; `readFile` reads a `*_FILE` variable's file (tests may replace it).
    public init(_ environment: [String: String], readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }) {
        config = KafkaConfig(brokers: environment["KAFKA_BROKERS"] ?? "localhost:9092")
        let names = environment.keys.filter { $0.hasPrefix(Self.prefix) && $0 != "KAFKA_BROKERS" }.sorted()
        for name in names {
            guard let value = environment[name] else { continue }
            if name.hasSuffix(Self.fileSuffix), let property = Self.property(of: String(name.dropLast(Self.fileSuffix.count))),
               PropertyProbe.isKnown(property) {
                switch EnvironmentSecret.read(String(name.dropLast(Self.fileSuffix.count)), from: environment, readFile: readFile) {
                case .success(let text): set(property, text ?? "", from: name)
                case .failure(let problem): problems.append(problem)
                }
                continue
            }
            guard let property = Self.property(of: name), PropertyProbe.isKnown(property) else {
                ignored.append(name)
                continue
            }
            set(property, value, from: name)
        }
    }

    private mutating func set(_ property: String, _ value: String, from variable: String) {
        config.set(property, value)
        variables[property] = variable
    }

    /// The variable `property` came from, or the one that would set it.
    func variable(of property: String) -> String {
        variables[property] ?? Self.prefix + property.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    /// Dotted lower-case words in librdkafka's text that may be property names.
    static func propertyNames(in text: String) -> [String] {
        var names: [String] = []
        for word in text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == ".") }) {
            let name = String(word).trimmingCharacters(in: CharacterSet(charactersIn: "."))
            if name.contains("."), name == name.lowercased(), !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// `KAFKA_SASL_MECHANISM` → `sasl.mechanism`; nil when nothing follows the prefix.
    static func property(of variable: String) -> String? {
        let name = variable.dropFirst(prefix.count).lowercased().replacingOccurrences(of: "_", with: ".")
        return name.isEmpty ? nil : name
    }

    /// Builds a producer's and a consumer's native configuration and client from `config`
    /// (after `defaults`), then releases them: a setting librdkafka refuses fails here, at
    /// start, with the variable it came from and librdkafka's reason, rather than later.
    public func check(_ config: KafkaConfig? = nil, producerDefaults: [(String, String)] = KafkaProducer.defaults) throws(KafkaError) {
        let config = config ?? self.config
        for (type, defaults) in [(RD_KAFKA_PRODUCER, producerDefaults), (RD_KAFKA_CONSUMER, [])] {
            do throws(KafkaError) {
                _ = try NativeClient(type: type, config: config, defaults: defaults, onEvent: { _ in })
            } catch {
                throw refusal(error, config: config)
            }
        }
    }

    /// The error naming the variables behind a refusal: the property librdkafka named, or
    /// those its reason names (`sasl.username and sasl.password must be set`), or those whose
    /// non-secret value it quotes (`Unsupported SASL mechanism: BOGUS`).
    private func refusal(_ error: KafkaError, config: KafkaConfig) -> KafkaError {
        let reason = error.context["reason"] ?? error.message
        var culprits: [String]
        if let property = error.context["property"] {
            culprits = [property]
        } else {
            let named = Self.propertyNames(in: reason).filter(PropertyProbe.isKnown)
            let quoted = config.properties.map(\.0).filter { property in
                !KafkaConfig.isSecret(property) && (config.value(of: property).map { $0.count >= 3 && reason.contains($0) } ?? false)
            }
            culprits = named + quoted.filter { !named.contains($0) }
        }
        let named = culprits.map { property in "\(variable(of: property)) (\(property))" }
        let shownReason = error.context["property"] != nil ? error.message : reason
        var context = error.context
        if let first = culprits.first { context["variable"] = variable(of: first) }
        let message = named.isEmpty ? "Kafka settings refused: \(shownReason)" : "\(named.joined(separator: ", ")) refused: \(shownReason)"
        return KafkaError(code: error.code, name: error.name, message: message, isRetriable: false, isFatal: false, context: context)
    }
}

/// Asks librdkafka whether it knows a property name, by setting it on a throw-away
/// configuration: `RD_KAFKA_CONF_UNKNOWN` is the one answer that depends on the name alone
/// (a bad value gives `RD_KAFKA_CONF_INVALID`, which is reported when the client is built).
/// `rd_kafka_conf_get` would not do: it answers "unknown" for sensitive properties
/// (`sasl.password`) and for topic-level ones (`partitioner`) on a fresh configuration.
enum PropertyProbe {
    static func isKnown(_ property: String) -> Bool {
        guard let conf = rd_kafka_conf_new() else { return false }
        defer { rd_kafka_conf_destroy(conf) }
        var errstr = [CChar](repeating: 0, count: 512)
        // An empty value can be refused for a known property, but never reported unknown.
        return rd_kafka_conf_set(conf, property, "", &errstr, errstr.count) != RD_KAFKA_CONF_UNKNOWN
    }
}
