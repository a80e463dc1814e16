import BusSchema

/// Which broker leads each partition of the chaos run's cluster. The mock cluster leads
/// partition p of every topic from the same broker, so an input and its co-partitioned output
/// would always stall together and no output would ever wait while its input moves on. Spread
/// per topic, as on a real cluster, the outage holds outputs whose inputs were read.
struct LeaderLayout: Equatable {
    /// Topic name to the broker leading each of its partitions, by partition number.
    let leaders: [String: [Int32]]

    /// Partition p of the catalogue's topic number i led by broker (p + i) mod `brokers` + 1.
    static func spread(_ catalogue: TopicCatalogue, brokers: Int32) -> LeaderLayout {
        var leaders: [String: [Int32]] = [:]
        for (index, topic) in catalogue.topics.enumerated() {
            leaders[topic.name] = (0..<topic.partitions).map { Int32(($0 + index) % Int(brokers)) + 1 }
        }
        return LeaderLayout(leaders: leaders)
    }

    /// The broker leading `partition` of `topic`; nil for a topic or partition it does not place.
    func leader(of topic: String, partition: Int32) -> Int32? {
        guard let brokers = leaders[topic], partition >= 0, Int(partition) < brokers.count else { return nil }
        return brokers[Int(partition)]
    }
}
