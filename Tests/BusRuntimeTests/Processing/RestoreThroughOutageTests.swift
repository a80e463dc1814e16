import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// A state restore meets transient broker errors (the chaos run's outage and the leader moves
/// after it): the restore retries with backoff until the broker answers instead of failing the
/// worker (`stateRestoreFailed`, exit 1, restarted into the same outage), and a stop asked while
/// it waits ends cleanly. The errors are injected into the broker's answers to the offset
/// queries the restore starts with (`ListOffsets`): a changelog leader merely down makes the
/// restore's reads wait, not fail (tried while this was written), so it proves nothing here.
@Suite("Worker runtime: a state restore through a broker outage")
struct RestoreThroughOutageTests {
    static let partitions = 2
    /// Transient answers to the offset queries, enough for several of the restore's attempts.
    static let transientErrors: [KafkaErrorCode] = Array(repeating: .leaderNotAvailable, count: 40)

    /// A 3-broker cluster whose echo changelog alone is led by broker 3 (inputs, outputs and
    /// the group's coordinator on broker 1, as in the chaos run's spread leaders), one probe key per partition with state (count
    /// 10) and one input each waiting: handled without its state, it would count from 1.
    static func cluster() throws -> (harness: FlowHarness<EchoFlow>, probes: [String]) {
        let harness = try FlowHarness(flow: EchoFlow(), topics: ["test.out"], partitions: partitions, brokers: 3, registry: Echo.registry)
        let changelog = EchoFlow().changelogTopic
        harness.isolate([changelog], onBroker: 3)
        var probes: [String: Int32] = [:]
        for n in 0..<100 where probes.count < partitions {
            let key = "probe-\(n)"
            let partition = Murmur2Partitioner.partition(of: key, partitions: Int32(partitions))
            if !probes.values.contains(partition) { probes[key] = partition }
        }
        try harness.publish(probes.map { key, partition in
            RestoreMembershipTests.stateRecord(changelog, partition: partition, key: key, lastN: 9, count: 10)
        })
        try harness.publish(probes.keys.sorted().map { Echo.input(key: $0, n: 10) })
        return (harness, probes.keys.sorted())
    }

    @Test("offset queries answered LEADER_NOT_AVAILABLE 40 times as the worker starts: the restore retries (state_restore_retry), the worker does not fail, inputs are handled with the restored state")
    func restoreRetriesUntilTheBrokerIsBack() throws {
        let (harness, probes) = try Self.cluster()
        harness.cluster.injectErrors(Self.transientErrors, on: .listOffsets)
        let lines = Locked<[String]>([])
        let (running, status) = RestoreMembershipTests.start(harness, name: "restorer", lines: lines)
        defer { running.stopCleanly() }
        #expect(waitUntil(timeout: .seconds(30)) { RestoreMembershipTests.count("state_restore_retry", in: lines) > 0 }, "a retry logged while the broker answers with errors")
        #expect(running.failure == nil, "the worker failed on transient errors: \(running.failure ?? "")")
        #expect(status.isAlive, "alive while the restore retries")

        let outputs = try harness.read("test.out", timeout: .seconds(60)) { $0.count >= probes.count }
        let counts = Dictionary(outputs.compactMap(Echo.echo).map { ($0.echo.key, $0.echo.count) }, uniquingKeysWith: max)
        #expect(counts == Dictionary(uniqueKeysWithValues: probes.map { ($0, Int64(11)) }), "handled with the restored state")
        #expect(RestoreMembershipTests.count("state_restored", in: lines) == Self.partitions)
        #expect(RestoreMembershipTests.count("state_restore_failed", in: lines) == 0)
        #expect(running.failure == nil)
    }

    @Test("a stop asked while the restore retries (offset queries answered LEADER_NOT_AVAILABLE): a clean stop (no error) within the drain deadline")
    func stopDuringTheRetriesIsClean() throws {
        let (harness, _) = try Self.cluster()
        harness.cluster.injectErrors(Array(repeating: .leaderNotAvailable, count: 500), on: .listOffsets)
        defer { harness.cluster.clearInjectedErrors(on: .listOffsets) }
        let lines = Locked<[String]>([])
        let (running, _) = RestoreMembershipTests.start(harness, name: "restorer", lines: lines)
        #expect(waitUntil(timeout: .seconds(30)) { RestoreMembershipTests.count("state_restore_retry", in: lines) > 0 }, "a retry logged while the broker answers with errors")
        Thread.sleep(forTimeInterval: 3)

        let asked = ContinuousClock.now
        running.stopCleanly()
        let took = ContinuousClock.now - asked
        let bound = ProcessingOptions.forTests.drainTimeout
        #expect(took < bound, "stopped within the drain deadline (\(bound)): took \(took)")
        #expect(running.failure == nil, "a stop during the restore is no failure: \(running.failure ?? "")")
        #expect(RestoreMembershipTests.count("state_restore_failed", in: lines) == 0)
    }
}
