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
        /// Each of `conflicting` with its two records (topic, key, both values), for the
        /// failure message: which content differs says which order the replay took.
        public var conflicts: [String] = []

        /// The ids of `reference`'s outputs this run lacks: the outputs a crash lost (must be
        /// none for `.sameOutputs` flows).
        public func lost(from reference: Outcome) -> Set<String> {
            Set(reference.byID.keys).subtracting(byID.keys)
        }

        /// The (topic, key) pairs whose last value differs from `reference`'s.
        public func finalValuesDiffering(from reference: Outcome) -> Set<String> {
            Set(reference.finalValues.keys).union(finalValues.keys).filter { finalValues[$0] != reference.finalValues[$0] }
        }
    }

    /// What the crashed run's first worker goes through besides the crash.
    public struct Conditions: Sendable {
        /// Its processing options: an injected fault, for instance.
        public var options: ProcessingOptions
        /// The output topics are unreachable (their broker down) from its start until its
        /// crash, which then comes a second after `crashAfter` inputs, so the worker has
        /// committed whatever it would: a crash with every output in flight. Its successor finds
        /// the broker up.
        public var outputsUnreachable: Bool
        /// The successor's processing options (decode threads, for instance).
        public var successorOptions: ProcessingOptions

        /// A first worker like its successor, outputs reachable.
        public init(options: ProcessingOptions = .forTests, outputsUnreachable: Bool = false,
                    successorOptions: ProcessingOptions = .forTests) {
            self.options = options
            self.outputsUnreachable = outputsUnreachable
            self.successorOptions = successorOptions
        }
    }

    /// One output record, as compared.
    public struct OutputRecord: Sendable, Hashable {
        public var topic: String
        public var key: String?
        public var value: Data?
    }

    /// Runs `flow` over `inputs` once cleanly and once with a crash after `crashAfter`
    /// consumed inputs; returns both outcomes. `outputs` names the topics compared;
    /// `settled` says when a run's outputs are complete. `crashed` sets what the first worker
    /// of the crashed run goes through. With `untilCommitted`, a run also ends once every input
    /// is committed and its outputs stayed the same for a second (a check that expects lost
    /// outputs would otherwise wait for them in vain). `referenceOptions` are the clean run's.
    public static func run<F: Flow>(
        flow: F, topics: [String], inputs: [ProducerRecord], outputs: [String], crashAfter: Int,
        registry: MessageRegistry = .standard, crashed conditions: Conditions = Conditions(), untilCommitted: Bool = false,
        referenceOptions: ProcessingOptions = .forTests, settled: @escaping (Outcome) -> Bool
    ) throws -> (reference: Outcome, crashed: Outcome) {
        let reference = try FlowHarness(flow: flow, topics: topics + outputs, registry: registry)
        try reference.publish(inputs)
        let clean = reference.start(flow, name: "reference", options: referenceOptions)
        let referenceOutcome = try collect(reference, outputs: outputs, untilCommitted: untilCommitted, settled: settled)
        clean.stopCleanly()

        let harness = try FlowHarness(flow: flow, topics: topics + outputs, brokers: conditions.outputsUnreachable ? 2 : 1, registry: registry)
        try harness.publish(inputs)
        if conditions.outputsUnreachable {
            harness.isolate(outputs)
            harness.cluster.setBrokerDown(2)
        }
        let first = harness.start(flow, name: "first", options: conditions.options)
        _ = waitUntil(timeout: .seconds(300)) { first.consumed >= crashAfter }
        if conditions.outputsUnreachable { Thread.sleep(forTimeInterval: 1) }
        first.crash()
        if conditions.outputsUnreachable { harness.cluster.setBrokerUp(2) }
        let second = harness.start(flow, name: "second", options: conditions.successorOptions)
        let crashedOutcome = try collect(harness, outputs: outputs, untilCommitted: untilCommitted, settled: settled)
        second.stopCleanly()
        return (referenceOutcome, crashedOutcome)
    }

    private static func collect<F: Flow>(_ harness: FlowHarness<F>, outputs: [String], untilCommitted: Bool,
                                         settled: (Outcome) -> Bool) throws -> Outcome {
        var outcome = Outcome()
        var unchangedSince = ContinuousClock.now
        _ = try waitUntil(timeout: .seconds(300)) {
            let previous = outcome.total
            outcome = Outcome()
            for topic in outputs {
                for record in try harness.readAll(topic) {
                    outcome.total += 1
                    let output = OutputRecord(topic: topic, key: record.keyString, value: record.value)
                    if let id = record.headers.string("ce_id") {
                        if let seen = outcome.byID[id], seen != output {
                            outcome.conflicting.append(id)
                            let text = { (value: Data?) in value.map { String(decoding: $0, as: UTF8.self) } ?? "null" }
                            outcome.conflicts.append("\(id) on \(topic) key \(output.key ?? "-"): \(text(seen.value)) then \(text(output.value))")
                        }
                        outcome.byID[id] = output
                    }
                    outcome.finalValues["\(topic)|\(record.keyString ?? "")"] = record.value
                }
            }
            if settled(outcome) { return true }
            guard untilCommitted else { return false }
            if outcome.total != previous { unchangedSince = .now }
            guard ContinuousClock.now - unchangedSince >= .seconds(1) else { return false }
            let committed = try harness.committed()
            return try harness.inputEnds().allSatisfy { committed[$0.key] == $0.value }
        }
        return outcome
    }
}
