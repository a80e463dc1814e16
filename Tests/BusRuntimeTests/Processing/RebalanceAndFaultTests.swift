import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

@Suite("Worker runtime: rebalances, faults, state")
struct RebalanceAndFaultTests {
    @Test("two instances, one added and one removed during load: nothing lost, state moved with its partitions")
    func scaleOutAndIn() throws {
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 6000))
        let a = harness.start(EchoFlow(), name: "a")
        #expect(waitUntil(timeout: .seconds(300)) { a.produced(to: "test.out") >= 1000 })
        let b = harness.start(EchoFlow(), name: "b")
        #expect(waitUntil(timeout: .seconds(300)) { b.consumed > 0 }, "b got partitions")
        a.stopCleanly()
        let outputs = try harness.read("test.out", timeout: .seconds(300)) { records in
            Set(records.compactMap { $0.headers.string("ce_id") }).count >= 6000
        }
        b.stopCleanly()
        DeliveryGuaranteeTests.checkExactlyOnceAfterDedup(outputs, inputs: 6000)
        #expect(try harness.committed() == harness.inputEnds())
    }

    @Test("injected produce errors and a broker down for 10 s during load: nothing lost, nothing dead-lettered")
    func faultsDuringLoad() throws {
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 4000))
        let worker = harness.start(EchoFlow())
        #expect(waitUntil(timeout: .seconds(300)) { worker.produced(to: "test.out") >= 500 })
        harness.cluster.injectErrors(Array(repeating: [.notLeaderForPartition, .requestTimedOut, .notEnoughReplicas], count: 20).flatMap { $0 }, on: .produce)
        harness.cluster.setBrokerDown(1)
        Thread.sleep(forTimeInterval: 10)
        harness.cluster.setBrokerUp(1)
        let outputs = try harness.read("test.out", timeout: .seconds(300)) { records in
            Set(records.compactMap { $0.headers.string("ce_id") }).count >= 4000
        }
        worker.stopCleanly()
        #expect(worker.failure == nil)
        DeliveryGuaranteeTests.checkExactlyOnceAfterDedup(outputs, inputs: 4000)
        #expect(try harness.readAll("bus.dlq.echo").isEmpty, "nothing dead-lettered")
    }

    @Test("state rebuilt from the changelog after reassignment equals the state before")
    func stateRebuilt() throws {
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 3000))
        let first = harness.start(EchoFlow(), name: "first")
        _ = try harness.read("test.out", timeout: .seconds(300)) { $0.count >= 3000 }
        first.stopCleanly()
        let before = first.worker.finalState
        #expect(before.values.reduce(0) { $0 + $1.count } == DeliveryGuaranteeTests.keys)

        let second = harness.start(EchoFlow(), name: "second")
        #expect(waitUntil(timeout: .seconds(30)) { second.worker.restoredState.count == harness.partitions })
        second.stopCleanly()
        #expect(second.worker.restoredState == before)
    }

    @Test("a slow output partition never lets a later input's offset be committed before an earlier one's outputs")
    func slowOutputPartition() throws {
        let flow = EchoFlow()
        let harness = try FlowHarness(flow: flow, topics: ["test.out"], partitions: 1, brokers: 2, registry: Echo.registry)
        try harness.cluster.createTopic("test.slow", partitions: 2)
        // test.slow[1] lives on broker 2, which answers every request 1.5 s late; the rest is fast.
        harness.cluster.setPartitionLeader(topic: "test.slow", partition: 0, broker: 1)
        harness.cluster.setPartitionLeader(topic: "test.slow", partition: 1, broker: 2)
        for topic in ["test.in", "bus.echo.state", "bus.dlq.echo"] { harness.cluster.setPartitionLeader(topic: topic, partition: 0, broker: 1) }
        harness.cluster.setRoundTripTime(.milliseconds(1500), broker: 2)
        let inputs = (0..<200).map { Echo.input(key: "k\($0 % 20)", n: Int64($0 / 20)) }
        try harness.publish(Array(inputs.prefix(20)))
        let worker = harness.start(EchoFlow(output: "test.slow"))
        // The rest arrives in waves, while earlier outputs may still be on their slow way.
        let waves = Thread {
            for wave in 1..<10 {
                Thread.sleep(forTimeInterval: 0.5)
                try? harness.publish(Array(inputs[(wave * 20)..<((wave + 1) * 20)]))
            }
        }
        waves.start()

        // Watch: whenever an offset is committed, every input below it has its output in the
        // log. Each sample reads the committed offset first, then each output partition's end
        // (its high watermark) from the broker: what is in the log at the commit is within
        // those ends. Which outputs the ends cover is known once everything is read, after.
        let group = try KafkaConsumer(config: harness.cluster.clientConfig(groupID: harness.group))
        defer { group.close() }
        let outputPartitions = [TopicPartition(topic: "test.slow", partition: 0), TopicPartition(topic: "test.slow", partition: 1)]
        var samples: [(committed: Int, ends: [Int])] = []
        let tp = TopicPartition(topic: "test.in", partition: 0)
        let deadline = ContinuousClock.now + .seconds(240)
        while ContinuousClock.now < deadline {
            let committed = Int(try group.committed([tp])[tp] ?? 0)
            let ends = try outputPartitions.map { Int(try group.watermarks($0).high) }
            samples.append((committed, ends))
            if committed >= 200 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        worker.stopCleanly()

        // Every output, in log order per partition, named by the input offset it answers.
        let outputs = try harness.readAll("test.slow")
        var logs: [[Int]] = [[], []]
        for record in outputs.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            if let echo = Echo.echo(record), let key = Int(echo.echo.key.dropFirst()) {
                logs[Int(record.partition)].append(Int(echo.echo.n) * 20 + key)
            }
        }
        var violations: [String] = []
        var heldBack = 0
        for sample in samples {
            let inLog = Set(zip(logs, sample.ends).flatMap { log, end in log.prefix(end) })
            for offset in 0..<sample.committed where !inLog.contains(offset) {
                violations.append("offset \(offset) committed before its output")
            }
            // Outputs of inputs at or past the committed offset already in the log: the slow
            // partition is holding the commit back, the case this test is about.
            if inLog.contains(where: { $0 >= sample.committed }) && sample.committed < 200 { heldBack += 1 }
        }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        #expect(try harness.committed()[tp] == 200)
        #expect(heldBack > 0, "the commit was watched while a slow output held it back")
    }
}
