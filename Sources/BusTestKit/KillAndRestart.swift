import BusKafka
import BusRuntime
import BusSchema
import Foundation

/// The runtime's crash check, for any flow: the same inputs are processed once without
/// interruption and once with a worker crashing (no drain, no commit) after a random number
/// of inputs and a successor taking over. Outputs are compared after removing duplicates by
/// CloudEvents id.
public enum KillAndRestart {
    /// How the two runs' outputs must compare.
    public enum Expectation: Sendable {
        /// The same set of records (topic, id, key, value): for flows whose outputs do not
        /// depend on timing.
        case sameOutputs
        /// The same last value per (topic, key): for flows that coalesce ("latest wins").
        case sameFinalValuePerKey
    }

    /// What a run left on the output topics.
    public struct Outcome: Sendable {
        /// Distinct outputs: id → (topic, key, value).
        public var byID: [String: OutputRecord] = [:]
        /// Records read in all, duplicates included.
        public var total = 0
        /// The last value per topic and key, in offset order.
        public var finalValues: [String: Data?] = [:]
        /// Outputs with one id but different bytes: must be none.
        public var conflicting: [String] = []
    }

    /// One output record, as compared.
    public struct OutputRecord: Sendable, Hashable {
        public var topic: String
        public var key: String?
        public var value: Data?
    }

    /// Runs `flow` over `inputs` once cleanly and once with a crash after `crashAfter`
    /// consumed inputs; returns both outcomes. `outputs` names the topics compared;
    /// `settled` says when a run's outputs are complete.
    public static func run<F: Flow>(
        flow: F, topics: [String], inputs: [ProducerRecord], outputs: [String], crashAfter: Int,
        registry: MessageRegistry = .standard, settled: @escaping (Outcome) -> Bool
    ) throws -> (reference: Outcome, crashed: Outcome) {
        let reference = try FlowHarness(flow: flow, topics: topics + outputs, registry: registry)
        try reference.publish(inputs)
        let clean = reference.start(flow, name: "reference")
        let referenceOutcome = try collect(reference, outputs: outputs, settled: settled)
        clean.stopCleanly()

        let harness = try FlowHarness(flow: flow, topics: topics + outputs, registry: registry)
        try harness.publish(inputs)
        let first = harness.start(flow, name: "first")
        _ = waitUntil(timeout: .seconds(300)) { first.consumed >= crashAfter }
        first.crash()
        let second = harness.start(flow, name: "second")
        let crashedOutcome = try collect(harness, outputs: outputs, settled: settled)
        second.stopCleanly()
        return (referenceOutcome, crashedOutcome)
    }

    private static func collect<F: Flow>(_ harness: FlowHarness<F>, outputs: [String], settled: (Outcome) -> Bool) throws -> Outcome {
        var outcome = Outcome()
        _ = try waitUntil(timeout: .seconds(300)) {
            outcome = Outcome()
            for topic in outputs {
                for record in try harness.readAll(topic) {
                    outcome.total += 1
                    let output = OutputRecord(topic: topic, key: record.keyString, value: record.value)
                    if let id = record.headers.string("ce_id") {
                        if let seen = outcome.byID[id], seen != output { outcome.conflicting.append(id) }
                        outcome.byID[id] = output
                    }
                    outcome.finalValues["\(topic)|\(record.keyString ?? "")"] = record.value
                }
            }
            return settled(outcome)
        }
        return outcome
    }
}
