import Foundation

/// End-to-end latency per flow, from the journal: for each input a flow read, the time
/// from the broker's timestamp of the input to that of the first output it caused (the
/// first record from `bus/<flow>` whose `ce_causationid` is the input's `ce_id`).
///
/// A flow that re-keys through an internal topic (customer-sync) is measured from the
/// outside input to its first outside output: causation is followed through the internal
/// records, which are neither inputs nor outputs from the outside.
enum EndToEndLatency {
    static func measure(_ journal: BusJournal, flows: [(name: String, inputs: [String])]) -> [String: LatencyStats] {
        var byID: [String: ObservedRecord] = [:]
        for record in journal.records { if let id = record.id, byID[id] == nil { byID[id] = record } }
        var result: [String: LatencyStats] = [:]
        for flow in flows {
            let source = "bus/\(flow.name)"
            let written = Set(journal.records.filter { $0.source == source }.map(\.topic))
            let internalTopics = Set(flow.inputs).intersection(written)
            var firstOutput: [String: Date] = [:]
            for record in journal.records where record.source == source && !internalTopics.contains(record.topic) && !record.topic.hasSuffix(".state") {
                guard var root = record.causation, let stored = record.timestamp else { continue }
                var hops = 0
                while let parent = byID[root], internalTopics.contains(parent.topic), let cause = parent.causation, hops < 8 {
                    root = cause
                    hops += 1
                }
                if let earlier = firstOutput[root], earlier <= stored { continue }
                firstOutput[root] = stored
            }
            var stats = LatencyStats()
            for (root, output) in firstOutput {
                guard let input = byID[root], flow.inputs.contains(input.topic), !internalTopics.contains(input.topic), let published = input.timestamp else { continue }
                stats.add(max(0, output.timeIntervalSince(published)))
            }
            result[flow.name] = stats
        }
        return result
    }
}
