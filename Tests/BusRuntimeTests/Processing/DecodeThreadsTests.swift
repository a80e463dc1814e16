import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// All cores (`BUS_WORKER_THREADS`): records read ahead and decoded on several threads are
/// still handled in the order read per partition, and a crash with several threads loses and
/// doubles nothing a single-threaded run would not.
@Suite("Worker runtime: decode threads")
struct DecodeThreadsTests {
    static func options(threads: Int) -> ProcessingOptions {
        var options = ProcessingOptions.forTests
        options.workerThreads = threads
        return options
    }

    /// 50 keys over 4 partitions, with an undecodable record and a record the schema refuses
    /// every 97 inputs, so that a batch mixes decoded inputs and rejections.
    static func inputs(count: Int) -> (records: [ProducerRecord], good: Int) {
        var records: [ProducerRecord] = []
        var next: [String: Int64] = [:]
        for i in 0..<count {
            let key = "k\(i % 50)"
            if i % 97 == 13 {
                var broken = Echo.input(key: key, n: 0)
                broken.value = Data(i % 2 == 0 ? "{not json".utf8 : #"{"key":"\#(key)","n":-1}"#.utf8)
                records.append(broken)
            } else {
                let n = next[key, default: 0]
                next[key] = n + 1
                records.append(Echo.input(key: key, n: n))
            }
        }
        return (records, next.values.reduce(0) { $0 + Int($1) })
    }

    @Test("with 1, 2 and 4 decode threads every key's outputs come in input order, one per good input; every bad one is dead-lettered in order", arguments: [1, 2, 4])
    func perPartitionOrder(threads: Int) throws {
        let (records, good) = Self.inputs(count: 3_000)
        let harness = try Echo.harness()
        try harness.publish(records)
        let worker = harness.start(EchoFlow(), options: Self.options(threads: threads))
        let outputs = try harness.read("test.out") { $0.count >= good }
        let letters = try harness.read("bus.dlq.echo") { $0.count >= records.count - good }
        worker.stopCleanly()
        #expect(worker.failure == nil)

        // The echo flow drops an event at or below its key's last n: an input handled before an
        // earlier one of its key would leave a gap, and each count must equal n + 1.
        // The echo flow drops an event at or below its key's last n: an input handled before an
        // earlier one of its key would leave a gap, and each count must equal n + 1.
        let echoes = outputs.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }.compactMap(Echo.echo)
        #expect(echoes.count == good, "one output per good input")
        for (key, keyed) in Dictionary(grouping: echoes.map(\.echo), by: \.key) {
            #expect(keyed.map(\.n) == (0..<Int64(keyed.count)).map { $0 }, "\(key): in input order")
            #expect(keyed.allSatisfy { $0.count == $0.n + 1 }, "\(key): counted in order")
        }
        // Dead letters of one input partition keep its order: their original offsets increase.
        let byPartition = Dictionary(grouping: letters.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            $0.headers.string("bus_original_partition") ?? "?"
        }
        #expect(letters.count == records.count - good, "every bad input dead-lettered once")
        for (partition, list) in byPartition {
            let offsets = list.compactMap { $0.headers.string("bus_original_offset").flatMap { Int64($0) } }
            #expect(offsets == offsets.sorted(), "partition \(partition): dead letters in input order")
        }
        #expect(Set(letters.compactMap { $0.headers.string("bus_error_code") }) == ["undecodable", "invalid"])
        #expect(try harness.committed() == harness.inputEnds(), "everything committed after the clean stop")
    }

    /// Every good input handled once, in input order per key: the echo flow drops an event at
    /// or below its key's last n (an input handled before an earlier one leaves a gap) and
    /// counts what it handled (each count must equal n + 1). Outputs are deduplicated by id;
    /// a retried output may land after a later one, so outputs are not compared by position.
    static func checkHandledInOrder(_ outputs: [ConsumedRecord], good: Int) {
        var byID: [String: TestEcho] = [:]
        for record in outputs {
            guard let id = record.headers.string("ce_id"), let echo = Echo.echo(record)?.echo else { continue }
            byID[id] = echo
        }
        #expect(byID.count == good, "one output per good input")
        for (key, keyed) in Dictionary(grouping: byID.values, by: \.key) {
            let sorted = keyed.sorted { $0.n < $1.n }
            #expect(sorted.map(\.n) == (0..<Int64(sorted.count)).map { $0 }, "\(key): none missing")
            #expect(sorted.allSatisfy { $0.count == $0.n + 1 }, "\(key): handled in input order")
        }
    }

    @Test("produce retries pause partitions whose records were read ahead: held, handed back at the resume, none lost, none overtaking", arguments: [1, 2])
    func pauseHoldsReadAhead(threads: Int) throws {
        let (records, good) = Self.inputs(count: 2_000)
        let harness = try Echo.harness()
        // Once the inputs are in, every produce request fails, retriably, until cleared, and
        // the local queue takes 5 records: full-queue refusals go to the runtime's retries,
        // which pause their partitions while records read ahead of them wait.
        try harness.publish(records)
        harness.cluster.injectErrors(Array(repeating: .notEnoughReplicas, count: 100_000), on: .produce)
        let worker = harness.start(EchoFlow(), options: Self.options(threads: threads)) { $0.set("queue.buffering.max.messages", "5") }
        let registry = worker.worker.metricsRegistry
        #expect(waitUntil(timeout: .seconds(60)) { metricSum(registry, "bus_retries_total{operation=\"produce\"}") >= 3 }, "paused for retries")
        harness.cluster.clearInjectedErrors(on: .produce)
        let outputs = try harness.read("test.out", timeout: .seconds(120)) { records in
            Set(records.compactMap { $0.headers.string("ce_id") }).count >= good
        }
        #expect(waitUntil(timeout: .seconds(20)) { (try? harness.committed()) == (try? harness.inputEnds()) }, "every input committed")
        worker.stopCleanly()
        #expect(worker.failure == nil, "the worker went on: \(worker.failure ?? "")")
        Self.checkHandledInOrder(outputs, good: good)
    }

    @Test("kill and restart with 4 decode threads: the crashed run's outputs are the single-threaded reference's, id for id and byte for byte")
    func killAndRestart() throws {
        let (records, good) = Self.inputs(count: 4_000)
        let outcome = try KillAndRestart.run(
            flow: EchoFlow(), topics: [], inputs: records, outputs: ["test.out"], crashAfter: 1_700, registry: Echo.registry,
            crashed: .init(options: Self.options(threads: 4), successorOptions: Self.options(threads: 4)),
            referenceOptions: Self.options(threads: 1)
        ) { $0.byID.count >= good }
        #expect(outcome.reference.byID.count == good)
        #expect(outcome.crashed.conflicting.isEmpty, "one id never carries two contents: \(outcome.crashed.conflicts.prefix(3))")
        #expect(outcome.crashed.lost(from: outcome.reference).isEmpty, "nothing lost")
        #expect(outcome.crashed.byID == outcome.reference.byID, "the same outputs, byte for byte")
    }
}
