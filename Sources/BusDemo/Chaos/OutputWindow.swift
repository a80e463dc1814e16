import BusSchema

/// The window the chaos run's outage opens for a worker: an input it can read (its partition
/// led by a broker that is up) whose outputs cannot be acknowledged (the co-partitioned
/// partition of one of the topics it writes is led by the broker that is down). A worker
/// killed in that window has read inputs whose outputs were still waiting: a runtime that
/// committed them early loses those outputs, which is what the chaos checks must catch.
struct OutputWindow {
    /// Per worker, its input topics.
    private let inputs: [String: Set<String>]
    /// Per worker, the topics it writes that hold an input's effects (outputs and its own
    /// changelog; not its dead letters), with their partition counts.
    private let outputs: [String: [(topic: String, partitions: Int)]]
    private let layout: LeaderLayout
    /// The broker taken down.
    let downBroker: Int32

    init(catalogue: TopicCatalogue, flows: [(name: String, inputs: [String])], layout: LeaderLayout, downBroker: Int32) {
        var inputs: [String: Set<String>] = [:]
        var outputs: [String: [(topic: String, partitions: Int)]] = [:]
        for flow in flows {
            inputs[flow.name] = Set(flow.inputs)
            outputs[flow.name] = catalogue.topics
                .filter { $0.writers.contains(flow.name) && !$0.name.hasPrefix("bus.dlq.") }
                .map { ($0.name, $0.partitions) }
        }
        self.inputs = inputs
        self.outputs = outputs
        self.layout = layout
        self.downBroker = downBroker
    }

    /// Whether `worker` can read the record on `topic`, `partition` now, and some of its
    /// outputs would wait for the down broker. Keys map to partition `hash mod count`, so an
    /// input's co-partitioned output partition is its own number modulo the output topic's
    /// count (the catalogue's counts divide each other).
    func holdsOutputs(of worker: String, topic: String, partition: Int32) -> Bool {
        guard inputs[worker]?.contains(topic) == true,
              let leader = layout.leader(of: topic, partition: partition), leader != downBroker else { return false }
        return outputs[worker, default: []].contains { output in
            output.partitions > 0 && layout.leader(of: output.topic, partition: partition % Int32(output.partitions)) == downBroker
        }
    }
}
