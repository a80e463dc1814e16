/// One thing wrong with the topic catalogue.
public struct CatalogueProblem: Sendable, Hashable, CustomStringConvertible {
    /// The topic concerned, or nil for the catalogue as a whole.
    public var topic: String?
    /// What is wrong, in a sentence.
    public var reason: String

    /// A problem.
    public init(topic: String?, reason: String) {
        self.topic = topic
        self.reason = reason
    }

    /// "topic: reason".
    public var description: String { "\(topic ?? "catalogue"): \(reason)" }
}

extension TopicCatalogue {
    /// Every problem of the catalogue against `registry`; empty when it holds together.
    ///
    /// Checks: names follow `erp.*`, `shop.*`, `bus.*` and are unique; partitions, replication
    /// and retention are sane; a compacted topic has one writer; every message type of the
    /// registry lives on a topic and every type listed is known; the topics one worker reads as streams (its state changelog
    /// included) have the same partition count; each worker has `bus.dlq.<worker>` and a
    /// compacted `bus.<worker>.state` and reads `bus.control`.
    public func check(against registry: MessageRegistry = .standard) -> [CatalogueProblem] {
        var problems: [CatalogueProblem] = []
        var seen: Set<String> = []
        for topic in topics {
            if !seen.insert(topic.name).inserted { problems.append(CatalogueProblem(topic: topic.name, reason: "listed twice")) }
            if !PatternMatcher.matches(topic.name, pattern: "^(erp|shop|bus)\\.[a-z0-9]+([.-][a-z0-9]+)*$") {
                problems.append(CatalogueProblem(topic: topic.name, reason: "name must be erp.*, shop.* or bus.*, lower case, words joined by '.' or '-'"))
            }
            if topic.partitions < 1 { problems.append(CatalogueProblem(topic: topic.name, reason: "partitions must be at least 1")) }
            if topic.replication < 1 { problems.append(CatalogueProblem(topic: topic.name, reason: "replication must be at least 1")) }
            if topic.retentionMs != -1, topic.retentionMs < 60_000 {
                problems.append(CatalogueProblem(topic: topic.name, reason: "retention_ms must be -1 (forever) or at least one minute"))
            }
            if let lag = topic.maxCompactionLagMs, topic.cleanup != .compact || lag < 60_000 {
                problems.append(CatalogueProblem(topic: topic.name, reason: "max_compaction_lag_ms is for compacted topics, and at least one minute"))
            }
            if topic.writers.isEmpty { problems.append(CatalogueProblem(topic: topic.name, reason: "no writer")) }
            // Latest wins per key: two writers would race for the last word, and a late record
            // of one would overwrite a later state of the other (the chaos run saw it).
            if topic.cleanup == .compact, topic.writers.count > 1 {
                problems.append(CatalogueProblem(topic: topic.name, reason: "a compacted topic has one writer, not \(topic.writers.joined(separator: ", "))"))
            }
            if topic.readers.isEmpty { problems.append(CatalogueProblem(topic: topic.name, reason: "no reader")) }
            for type in topic.messageTypes where registry.versions(of: type).isEmpty {
                problems.append(CatalogueProblem(topic: topic.name, reason: "message type \(type) is not in the schema registry"))
            }
        }
        for type in registry.messageTypes where topics(carrying: type).isEmpty {
            problems.append(CatalogueProblem(topic: nil, reason: "message type \(type) lives on no topic"))
        }
        for worker in workers {
            problems += checkWorker(worker)
        }
        return problems
    }

    private func checkWorker(_ worker: String) -> [CatalogueProblem] {
        var problems: [CatalogueProblem] = []
        let streams = topics.filter { topic in topic.readers.contains { $0.name == worker && $0.reads == .stream } }
        let counts = Set(streams.map(\.partitions))
        if counts.count > 1 {
            let listing = streams.map { "\($0.name) (\($0.partitions))" }.joined(separator: ", ")
            problems.append(CatalogueProblem(topic: nil, reason: "\(worker) reads streams that are not co-partitioned: \(listing)"))
        }
        if let dlq = topic(named: "bus.dlq.\(worker)") {
            if !dlq.writers.contains(worker) { problems.append(CatalogueProblem(topic: dlq.name, reason: "\(worker) must be a writer")) }
        } else {
            problems.append(CatalogueProblem(topic: nil, reason: "\(worker) has no dead-letter topic bus.dlq.\(worker)"))
        }
        if let state = topic(named: "bus.\(worker).state") {
            if state.cleanup != .compact { problems.append(CatalogueProblem(topic: state.name, reason: "a state changelog must be compacted")) }
            if !state.readers.contains(where: { $0.name == worker && $0.reads == .stream }) {
                problems.append(CatalogueProblem(topic: state.name, reason: "\(worker) must read its state changelog as a stream, aligned with its inputs"))
            }
        } else {
            problems.append(CatalogueProblem(topic: nil, reason: "\(worker) has no state changelog bus.\(worker).state"))
        }
        if topic(named: "bus.control")?.readers.contains(where: { $0.name == worker }) != true {
            problems.append(CatalogueProblem(topic: "bus.control", reason: "\(worker) must read bus.control"))
        }
        return problems
    }
}
