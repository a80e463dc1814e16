import BusSchema

/// The replication factor `bus topics apply` creates a topic with: `--replication N` when
/// given, else the catalogue's, capped at the cluster's broker count (a one-broker compose
/// cluster cannot hold three replicas, and Kafka refuses the topic outright).
struct ReplicationChoice: Equatable {
    /// `--replication N`, or nil.
    let explicit: Int?
    /// The brokers the cluster lists, or nil when unknown (then nothing is capped).
    let brokers: Int?

    /// The factor for `topic`.
    func replication(for topic: Topic) -> Int {
        if let explicit { return explicit }
        guard let brokers, brokers > 0 else { return topic.replication }
        return min(topic.replication, brokers)
    }

    /// One line saying which topics are capped and why, or nil when none is.
    func note(for topics: [Topic]) -> String? {
        guard explicit == nil, let brokers, brokers > 0 else { return nil }
        let capped = topics.filter { $0.replication > brokers }
        guard !capped.isEmpty else { return nil }
        let wanted = Set(capped.map(\.replication)).sorted().map(String.init).joined(separator: "/")
        let noun = brokers == 1 ? "broker" : "brokers"
        return "note: the cluster has \(brokers) \(noun); replication capped at \(brokers) for \(capped.count) of the topics "
            + "(the catalogue asks \(wanted)); pass --replication N to choose, and recreate them on a larger cluster for durability"
    }
}
