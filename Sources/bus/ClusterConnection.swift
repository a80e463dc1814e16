import BusKafka
import Foundation
import Synchronization

/// How an operator command reaches a cluster: `--brokers`, else `KAFKA_BROKERS`, else
/// `localhost:9092` (where `bus dev` listens), plus every other `KAFKA_*` variable exactly as
/// the workers read them (`KafkaEnvironment`: `KAFKA_SECURITY_PROTOCOL`, `KAFKA_SASL_USERNAME`,
/// `KAFKA_SASL_PASSWORD` or `KAFKA_SASL_PASSWORD_FILE`, ...). Variables librdkafka does not know
/// (`KAFKA_OPTS`, `KAFKA_HEAP_OPTS`, Kubernetes service links) are ignored with one note on
/// standard error naming them.
///
/// Nothing here prints a setting's value except the bootstrap address: secrets stay unseen.
/// librdkafka's own log lines are silenced; the last client error is kept so that a command
/// that cannot reach the cluster says why instead of hanging (every call is bounded).
struct ClusterConnection {
    /// The flag every operator command takes.
    static let flags: Set<String> = ["brokers"]
    /// The usage lines describing it.
    static let usage = """
      --brokers HOST:PORT[,...]  the cluster; default $KAFKA_BROKERS, else localhost:9092 (`bus dev`).
                                 Other KAFKA_* variables (security.protocol, sasl.*, ssl.*) apply as for the workers.
    """
    /// How long a metadata or offsets request may take.
    static let requestTimeout = Duration.seconds(10)

    let config: KafkaConfig
    let events = ClientEvents()
    /// Variables that could not be used (`*_FILE` unreadable, ...): every client refuses to start.
    let problems: [KafkaEnvironment.Problem]

    /// The connection named by `--brokers` and the environment.
    init(_ parsed: ParsedArguments, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let kafka = KafkaEnvironment(environment)
        if !kafka.ignored.isEmpty {
            FileHandle.standardError.write(Data("note: ignoring \(kafka.ignored.joined(separator: ", ")): not librdkafka settings\n".utf8))
        }
        problems = kafka.problems
        var config = kafka.config
        if let brokers = parsed.options["brokers"] { config.brokers = brokers }
        config.clientID = config.clientID ?? "bus-cli"
        // Operator commands answer in seconds or say why: a shorter delivery timeout than a
        // worker's, and quicker fetches. An explicit KAFKA_* setting still wins.
        for (name, value) in [("message.timeout.ms", "30000"), ("fetch.wait.max.ms", "100"), ("socket.timeout.ms", "10000")]
        where config.value(of: name) == nil {
            config.set(name, value)
        }
        self.config = config
    }

    /// The bootstrap servers, for messages.
    var brokers: String { config.brokers }

    /// Fails when a `KAFKA_*` variable could not be used, naming it.
    private func requireUsable() throws {
        guard problems.isEmpty else { throw CommandFailure("Kafka settings cannot be read: \(problems.map(\.description).joined(separator: "; "))") }
    }

    /// A reader outside any group: it assigns partitions and never commits.
    func reader(eof: Bool = false) throws -> KafkaConsumer {
        try requireUsable()
        var config = config
        config.groupID = nil
        if eof { config.set("enable.partition.eof", "true") }
        return try KafkaConsumer(config: config, onEvent: events.handler)
    }

    /// A client of group `groupID` that only reads its committed offsets: it never joins
    /// the group and never commits.
    func groupReader(_ groupID: String) throws -> KafkaConsumer {
        try requireUsable()
        var config = config
        config.groupID = groupID
        config.set("enable.auto.commit", "false")
        return try KafkaConsumer(config: config, onEvent: events.handler)
    }

    /// A producer (idempotent, as the workers').
    func producer() throws -> KafkaProducer {
        try requireUsable()
        return try KafkaProducer(config: config, onEvent: events.handler)
    }

    /// An admin client.
    func admin() throws -> KafkaAdmin {
        try requireUsable()
        return try KafkaAdmin(config: config, onEvent: events.handler)
    }

    /// Every topic of the cluster (internal `__*` topics left out), or a failure naming the
    /// bootstrap address and the client's last error.
    func topics(_ consumer: KafkaConsumer) throws -> [TopicMetadata] {
        // A consumer's client errors wait in its queue until polled: serve them between attempts.
        let serve = { while case .error(let error)? = consumer.poll(timeout: .zero) { events.record(error) } }
        return try metadata(serving: serve) { timeout throws(KafkaError) in try consumer.topics(timeout: timeout) }
            .filter { !$0.name.hasPrefix("__") }
    }

    /// Runs a metadata request in one-second attempts for up to `requestTimeout`, and gives up
    /// sooner once librdkafka has reported every broker down for three seconds: a wrong address
    /// is answered in seconds rather than after the whole timeout.
    func metadata<T>(serving serve: () -> Void = {}, _ request: (Duration) throws(KafkaError) -> T) throws -> T {
        let started = ContinuousClock.now
        while true {
            do throws(KafkaError) {
                return try request(.seconds(1))
            } catch {
                serve()
                let elapsed = ContinuousClock.now - started
                let allDown = events.allBrokersDown
                if elapsed >= Self.requestTimeout || (allDown && elapsed >= .seconds(3)) { throw unreachable(error) }
            }
        }
    }

    /// The partitions of `topic`, refusing a topic the cluster does not have (asking for it
    /// by name could create it where auto-creation is on).
    func partitions(of topic: String, using consumer: KafkaConsumer) throws -> [TopicPartition] {
        guard let found = try topics(consumer).first(where: { $0.name == topic }) else {
            throw CommandFailure("topic \(topic) does not exist on the cluster at \(brokers)")
        }
        return (0..<Int32(found.partitions)).map { TopicPartition(topic: topic, partition: $0) }
    }

    /// Fails unless the cluster has `topic`: producing to a missing topic would create it
    /// with the broker's default partition count where auto-creation is on.
    func requireTopic(_ topic: String, using producer: KafkaProducer) throws {
        let names: [String]
        names = try metadata { timeout throws(KafkaError) in try producer.topics(timeout: timeout) }.map(\.name)
        guard names.contains(topic) else {
            throw CommandFailure("topic \(topic) does not exist on the cluster at \(brokers); `bus topics apply` creates the catalogue's topics")
        }
    }

    /// A failure saying the cluster did not answer, with the most telling error known.
    func unreachable(_ error: any Error) -> CommandFailure {
        if let failure = error as? CommandFailure { return failure }
        let cause = events.lastError.map { "\($0.message)" } ?? "\(error)"
        return CommandFailure("the cluster at \(brokers) did not answer: \(cause)")
    }
}

/// Keeps a client's last error; drops librdkafka's log lines (a command reports, it does not log).
final class ClientEvents: Sendable {
    private let last = Mutex<KafkaError?>(nil)
    private let down = Mutex<Bool>(false)

    var handler: KafkaClientEventHandler {
        { [self] event in
            if case .error(let error) = event { record(error) }
        }
    }

    var lastError: KafkaError? { last.withLock { $0 } }

    /// Whether librdkafka reported every broker down (connection refused, unreachable, ...).
    var allBrokersDown: Bool { down.withLock { $0 } }

    func record(_ error: KafkaError) {
        // _ALL_BROKERS_DOWN says little by itself; the broker's own error before it says why.
        if error.name == "_ALL_BROKERS_DOWN" {
            down.withLock { $0 = true }
            if lastError != nil { return }
        }
        last.withLock { $0 = error }
    }
}
