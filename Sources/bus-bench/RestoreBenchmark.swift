import BusKafka
import BusRuntime
import BusSchema
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Restoring one full changelog partition: a worker takes over the only partition of a flow
/// whose changelog holds as much as the embedded cluster keeps (5 MiB a partition), and
/// rebuilds its state. Prints records/s, what that gives for 1,000,000 entries, and the proof
/// that the worker stayed alive and in its group meanwhile: its `/healthz` asked every 50 ms
/// throughout (liveness window 1 s, and a restore no longer counts as alive by itself, so a
/// loop that stopped turning for a second would show), and its rebalance and lost-assignment counts afterwards (one
/// assignment, nothing revoked, nothing lost: the group never moved the partition).
struct RestoreBenchmark {
    /// Bytes of each state value (an order-ingest order is about this size; see the README).
    let valueSize: Int
    /// Full partitions taken over at once (restored one after the other in one assignment):
    /// more than one makes the restore outlast the group's session timeout.
    let partitions: Int
    /// How much of the partition to fill; the embedded cluster drops the oldest past 5 MiB.
    let fill = 5 * 1024 * 1024 * 95 / 100

    func run() throws {
        let cluster = try EmbeddedCluster(brokers: 1)
        let flow = RestoreFlow()
        for topic in [flow.inputs[0], flow.changelogTopic, flow.deadLetterTopic, Topics.exceptions, Topics.control] {
            try cluster.createTopic(topic, partitions: partitions)
        }
        var count = 0
        for partition in 0..<partitions { count = try fillChangelog(flow.changelogTopic, partition: Int32(partition), cluster: cluster) }

        let metrics = MetricsRegistry()
        let status = WorkerStatus(livenessWindow: .seconds(1))
        let events = EventTimes()
        let logger = Logger(worker: flow.name, minimumLevel: .info, sink: LogSink { line in events.note(line) })
        let endpoints = OperationsEndpoints(metrics: metrics, liveness: { status.isAlive }, readiness: { status.readiness })
        let server = try HTTPServer.start(HTTPServerConfiguration(port: 0), handler: endpoints.respond)
        defer { _ = server.stop() }

        var options = ProcessingOptions()
        options.gaugeInterval = .milliseconds(100)
        // max.poll.interval.ms as low as librdkafka allows (the session timeout): a restore that
        // held up the poll for longer would be thrown out of the group.
        var kafka = cluster.clientConfig(clientID: "restore-bench")
        kafka.set("max.poll.interval.ms", "6000")
        let worker = Worker(flow: flow, kafka: kafka, groupID: "bench-restore",
                            options: options, logger: logger, metricsRegistry: metrics, status: status)
        let stop = StopFlag()
        let done = DispatchSemaphore(value: 0)
        Thread {
            try? worker.run { stop.isSet }
            done.signal()
        }.start()

        // Probe /healthz from the first assignment until the group has had a session
        // timeout and more after the restore to move the partition, had it wanted to.
        var probes = 0
        var failed = 0
        while events.time(of: "partitions_assigned") == nil { Thread.sleep(forTimeInterval: 0.01) }
        var settledUntil: ContinuousClock.Instant?
        while settledUntil.map({ ContinuousClock.now < $0 }) ?? true {
            if settledUntil == nil, events.count(of: "state_restored") >= partitions { settledUntil = .now + .seconds(8) }
            probes += 1
            if Self.get("/healthz", port: server.port) != 200 { failed += 1 }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let rebalances = RuntimeBenchmark<RestoreFlow>.sum(metrics, "bus_rebalances_total{kind=\"assigned\"}")
        let revokes = RuntimeBenchmark<RestoreFlow>.sum(metrics, "bus_rebalances_total{kind=\"revoked\"}")
        let lost = RuntimeBenchmark<RestoreFlow>.sum(metrics, "bus_assignments_lost_total")
        stop.set()
        done.wait()

        guard let assigned = events.time(of: "partitions_assigned"), let restored = events.lastTime(of: "state_restored") else {
            throw RuntimeError(.stateRestoreFailed, "the restore did not finish")
        }
        let seconds = (restored - assigned).seconds
        let read = RuntimeBenchmark<RestoreFlow>.sum(metrics, "bus_state_restore_records_total{")
        let rate = read / seconds
        say("Restore of \(partitions) full changelog partition(s): \(count) entries of \(valueSize) bytes (\(fill / 1024) KiB) each, embedded cluster, session timeout and max.poll.interval.ms 6 s")
        say(String(format: "restored            %9.0f records/s (%.0f records in %.2f s, assignment to state_restored)", rate, read, seconds))
        say(String(format: "1,000,000 entries   %9.1f s at that rate", 1_000_000 / rate))
        say("progress events     \(events.count(of: "state_restore_progress")) state_restore_progress log lines, bus_state_restore_records_total = \(Int(read))")
        say("/healthz            \(probes - failed)/\(probes) probes answered 200 (every 50 ms, liveness window 1 s), from assignment to 8 s after the restore")
        say("group               assigned \(Int(rebalances)) time(s), revoked \(Int(revokes)), assignments lost \(Int(lost))")
        let stayed = failed == 0 && rebalances == 1 && revokes == 0 && lost == 0
        say("meanwhile           " + (stayed
            ? String(format: "stayed in its group and alive for the whole %.2f s restore (the loop polled on beside it)", seconds)
            : "FAILED: the worker did not stay alive and in its group"))
        if !stayed { exit(1) }
    }

    /// Writes values to `partition` of the changelog until `fill` bytes; returns how many.
    private func fillChangelog(_ topic: String, partition: Int32, cluster: EmbeddedCluster) throws -> Int {
        let producer = try KafkaProducer(config: cluster.clientConfig())
        defer { producer.close() }
        let padding = String(repeating: "x", count: max(valueSize - 40, 1))
        var records: [ProducerRecord] = []
        var bytes = 0
        while bytes < fill {
            let key = String(format: "WEB-%07d", records.count)
            let value = Data(#"{"number":"\#(key)","padding":"\#(padding)"}"#.utf8)
            bytes += key.utf8.count + value.count + 70  // record overhead in a batch, about
            records.append(ProducerRecord(topic: topic, partition: partition, key: Data(key.utf8), value: value))
        }
        let acknowledged = Countdown(records.count)
        for record in records { producer.enqueue(record) { _ in acknowledged.tick() } }
        acknowledged.wait()
        return records.count
    }

    /// The status code of a GET on the worker's HTTP server, or 0 when it did not answer.
    static func get(_ path: String, port: Int) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return 0 }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return 0 }
        var buffer = [UInt8](repeating: 0, count: 256)
        let received = recv(fd, &buffer, buffer.count, 0)
        guard received > 12 else { return 0 }
        let line = String(decoding: buffer[0..<received], as: UTF8.self)
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}

/// A stateful flow that only keeps what its changelog says: the restore is all it does here.
struct RestoreFlow: Flow {
    struct Entry: Codable, Sendable, Equatable {
        var number: String
        var padding: String
    }
    typealias State = Entry
    let name = "restore-bench"
    let inputs = ["bench.restore.in"]
    func handle(_ input: FlowInput, state: inout FlowState<Entry>, tables: any TableLookup) throws -> [FlowOutput] { [] }
}

/// When each log event first happened, from the worker's log lines (their `event` field).
final class EventTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var first: [String: ContinuousClock.Instant] = [:]
    private var last: [String: ContinuousClock.Instant] = [:]
    private var counts: [String: Int] = [:]

    func note(_ line: String) {
        guard let range = line.range(of: #""event":""#), let end = line[range.upperBound...].firstIndex(of: "\"") else { return }
        let event = String(line[range.upperBound..<end])
        let now = ContinuousClock.now
        lock.withLock {
            if first[event] == nil { first[event] = now }
            last[event] = now
            counts[event, default: 0] += 1
        }
    }

    func time(of event: String) -> ContinuousClock.Instant? { lock.withLock { first[event] } }
    func lastTime(of event: String) -> ContinuousClock.Instant? { lock.withLock { last[event] } }
    func count(of event: String) -> Int { lock.withLock { counts[event] ?? 0 } }
}
