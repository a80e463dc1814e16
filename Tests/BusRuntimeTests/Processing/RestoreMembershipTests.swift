import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// Restores run beside the loop, not inside the rebalance callback: a worker taking over
/// partitions whose changelogs hold megabytes keeps polling, so the group keeps it however
/// long the restore takes, its liveness stays true, and a rebalance asked meanwhile is
/// answered at once (the restore is cancelled) instead of waiting for the restore to end.
@Suite("Worker runtime: restores out of the rebalance callback")
struct RestoreMembershipTests {
    static let partitions = 4
    static let entriesPerPartition = 70_000
    /// Set low so that a restore blocking the poll lasts longer than both: restores got
    /// faster (3.4 s for these entries on a quiet machine, once 7 s), and at 3.5 s the restore no
    /// longer outlasted the session. More entries is no way out: the embedded cluster keeps
    /// about 5 MiB per partition and drops the oldest records beyond.
    static let sessionAndMaxPollInterval = 2_500

    /// A cluster whose echo changelog holds ~4.5 MiB per partition (long keys, as account codes
    /// and order numbers are), one probe key per partition among them (count 10, last n 9), and
    /// one input per probe key (n 10) waiting: handled before its state is in, it would count
    /// from 1 instead of from 10.
    static func filledCluster() throws -> (harness: FlowHarness<EchoFlow>, probes: [String], entries: Int) {
        let harness = try Echo.harness(partitions: partitions)
        let changelog = EchoFlow().changelogTopic
        var probes: [String: Int32] = [:]
        for n in 0..<100 where probes.count < partitions {
            let key = "probe-\(n)"
            let partition = Murmur2Partitioner.partition(of: key, partitions: Int32(partitions))
            if !probes.values.contains(partition) { probes[key] = partition }
        }
        var records = probes.map { key, partition in stateRecord(changelog, partition: partition, key: key, lastN: 9, count: 10) }
        for partition in 0..<Int32(partitions) {
            for i in 0..<entriesPerPartition {
                let key = "account-\(partition)-" + String(format: "%08d", i) + "-entry"
                records.append(stateRecord(changelog, partition: partition, key: key, lastN: Int64(i), count: Int64(i + 1)))
            }
        }
        try harness.publish(records)
        try harness.publish(probes.keys.sorted().map { Echo.input(key: $0, n: 10) })
        return (harness, probes.keys.sorted(), records.count)
    }

    /// A worker of the harness's group with short sessions and poll interval, its log kept.
    static func start(_ harness: FlowHarness<EchoFlow>, name: String, lines: Locked<[String]>) -> (RunningWorker<EchoFlow>, WorkerStatus) {
        let logger = Logger(worker: "echo", minimumLevel: .info, sink: LogSink { line in lines.update { $0.append(line) } })
        var kafka = harness.cluster.clientConfig(clientID: name)
        kafka.sessionTimeoutMs = sessionAndMaxPollInterval
        kafka.set("heartbeat.interval.ms", "300")
        kafka.set("max.poll.interval.ms", String(sessionAndMaxPollInterval))
        var options = ProcessingOptions.forTests
        options.restoreProgressInterval = .milliseconds(500)
        let status = WorkerStatus(livenessWindow: .seconds(1))
        let worker = Worker(flow: EchoFlow(), kafka: kafka, groupID: harness.group, registry: Echo.registry,
                            options: options, logger: logger, status: status)
        return (RunningWorker(worker), status)
    }

    /// The events of the restore and the rebalances, in order.
    static func events(in lines: Locked<[String]>) -> [String] {
        lines.value.compactMap { line in
            guard let range = line.range(of: "\"event\":\""), let end = line[range.upperBound...].firstIndex(of: "\"") else { return nil }
            let event = String(line[range.upperBound..<end])
            return event.hasPrefix("state_restore") || event.hasPrefix("partitions_") ? event : nil
        }
    }

    static func count(_ event: String, in lines: Locked<[String]>) -> Int {
        lines.value.filter { $0.contains("\"event\":\"\(event)\"") }.count
    }

    @Test("taking over 4 changelog partitions of ~4.5 MiB each with a 2.5 s session and max.poll.interval.ms: stays in the group, alive, restored partitions wait for their state, progress reported")
    func restoreKeepsTheMember() throws {
        let (harness, probes, entries) = try Self.filledCluster()
        let lines = Locked<[String]>([])
        let (running, status) = Self.start(harness, name: "restorer", lines: lines)
        defer { running.stopCleanly() }

        // Liveness, sampled as a probe would, from the start to the end of the test.
        let samples = Locked<(alive: Int, dead: Int)>((0, 0))
        let sampling = Locked(true)
        Thread {
            while sampling.value {
                let alive = status.isAlive
                samples.update { alive ? ($0.alive += 1) : ($0.dead += 1) }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }.start()
        defer { sampling.update { $0 = false } }

        // The embedded cluster's first join takes 3 s: the session must outlast it.
        #expect(waitUntil(timeout: .seconds(30)) { Self.count("partitions_assigned", in: lines) > 0 }, "assigned")
        let restoring = ContinuousClock.now
        #expect(waitUntil(timeout: .seconds(90)) { Self.count("state_restored", in: lines) >= Self.partitions }, "every partition restored")
        let restoreTook = ContinuousClock.now - restoring
        let outputs = try harness.read("test.out", timeout: .seconds(30)) { $0.count >= probes.count }
        // Past the session and poll interval again: a member evicted meanwhile has rejoined
        // (a second assignment) or lost its partitions by now.
        Thread.sleep(forTimeInterval: Double(Self.sessionAndMaxPollInterval) / 1000 * 2)
        sampling.update { $0 = false }
        let registry = running.worker.metricsRegistry
        print("restore of \(entries) entries over \(Self.partitions) partitions: \(restoreTook); liveness \(samples.value)")

        #expect(restoreTook > .milliseconds(Self.sessionAndMaxPollInterval), "the restore outlasts max.poll.interval.ms (\(restoreTook)), or this proves nothing")
        #expect(metricSum(registry, "bus_rebalances_total{kind=\"assigned\"}") == 1, "assigned once: no second rebalance")
        #expect(metricSum(registry, "bus_rebalances_total{kind=\"revoked\"}") == 0, "nothing revoked")
        #expect(metricSum(registry, "bus_assignments_lost_total") == 0)
        #expect(status.notReadyReason == nil, "ready with its assignment: \(status.notReadyReason ?? "")")
        #expect(samples.value.dead == 0 && samples.value.alive > 20, "alive throughout, the loop turning: \(samples.value)")
        #expect(Self.count("state_restore_progress", in: lines) > 0, "progress logged")
        #expect(metricSum(registry, "bus_state_restore_records_total") == Double(entries), "every changelog record counted")
        let counts = Dictionary(outputs.compactMap(Echo.echo).map { ($0.echo.key, $0.echo.count) }, uniquingKeysWith: max)
        #expect(counts == Dictionary(uniqueKeysWithValues: probes.map { ($0, Int64(11)) }),
                "inputs waiting during the restore were handled with the restored state")
        #expect(running.failure == nil)
    }

    @Test("a second member joining during the restore: the first is revoked at once (its restore cancelled, not waited for), and both end with restored state")
    func revokeCancelsTheRestore() throws {
        let (harness, probes, _) = try Self.filledCluster()
        let firstLines = Locked<[String]>([])
        let secondLines = Locked<[String]>([])
        let (first, _) = Self.start(harness, name: "first", lines: firstLines)
        defer { first.stopCleanly() }
        #expect(waitUntil(timeout: .seconds(30)) { Self.count("partitions_assigned", in: firstLines) > 0 }, "first assigned")
        let (second, _) = Self.start(harness, name: "second", lines: secondLines)
        defer { second.stopCleanly() }
        #expect(waitUntil(timeout: .seconds(90)) { Self.count("partitions_assigned", in: firstLines) >= 2 }, "the first is assigned again")
        let events = Self.events(in: firstLines)
        let revoke = events.firstIndex(of: "partitions_revoked") ?? events.endIndex
        let restoredBeforeRevoke = events[..<revoke].filter { $0 == "state_restored" }.count
        #expect(restoredBeforeRevoke < Self.partitions,
                "the revoke came while the first was restoring, not after its whole restore (\(restoredBeforeRevoke) partitions restored by then)")
        #expect(events[revoke...].prefix(2) == ["partitions_revoked", "state_restore_cancelled"], "\(events)")

        let outputs = try harness.read("test.out", timeout: .seconds(90)) { $0.count >= probes.count }
        let counts = Dictionary(outputs.compactMap(Echo.echo).map { ($0.echo.key, $0.echo.count) }, uniquingKeysWith: max)
        #expect(counts == Dictionary(uniqueKeysWithValues: probes.map { ($0, Int64(11)) }),
                "every input handled with its partition's restored state, by whichever member owns it")
        print("first member's events: " + Self.events(in: firstLines).joined(separator: ", "))
        #expect(metricSum(first.worker.metricsRegistry, "bus_assignments_lost_total") == 0, "a revoke, not an eviction")
        // Every restore has ended (cancelled by the revoke, or done): no member may still show
        // records left, or an alert on a restore under way (BusStateRestoreLong) fires for ever.
        for (name, member) in [("first", first), ("second", second)] {
            let remaining = member.worker.metricsRegistry.render().split(separator: "\n").filter { $0.hasPrefix("bus_state_restore_remaining_records{") }
            #expect(metricSum(member.worker.metricsRegistry, "bus_state_restore_remaining_records{") == 0, "\(name): \(remaining)")
        }
        #expect(first.failure == nil && second.failure == nil)
    }

    /// A changelog record of the echo flow's state.
    static func stateRecord(_ topic: String, partition: Int32, key: String, lastN: Int64, count: Int64) -> ProducerRecord {
        ProducerRecord(topic: topic, partition: partition, key: key, value: Data("{\"lastN\":\(lastN),\"count\":\(count)}".utf8))
    }
}
