import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import Testing

/// A worker as operators see it: signals, HTTP endpoints, control requests.
/// Serialized: the SIGTERM test changes the process's signal dispositions.
@Suite("Worker runtime: operations", .serialized)
struct OperationsTests {
    @Test("SIGTERM during load: the worker stops within the deadline with everything it processed committed")
    func sigtermDuringLoad() throws {
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 4000))
        let shutdown = ShutdownRequest()
        let signals = try ShutdownSignals.install(requesting: shutdown)
        defer { signals.uninstall() }
        let logger = Logger(worker: "echo", minimumLevel: .warn, sink: LogSink { _ in })
        // 4,000 inputs at 2 ms each take at least 8 s: the signal, sent after 300 outputs,
        // lands mid-load however fast the machine (unpaced, a fast loop finished them all first).
        let worker = Worker(flow: EchoFlow(pace: 0.002), kafka: harness.cluster.clientConfig(), groupID: harness.group,
                            registry: Echo.registry, options: FlowHarness<EchoFlow>.testOptions, logger: logger)
        let returned = DispatchSemaphore(value: 0)
        let failure = Locked<String?>(nil)
        Thread {
            do { try worker.run { shutdown.isRequested } } catch { failure.update { $0 = "\(error)" } }
            returned.signal()
        }.start()
        #expect(waitUntil(timeout: .seconds(300)) {
            metricSum(worker.metricsRegistry, "bus_records_produced_total{topic=\"test.out\"}") >= 300
        })

        let deadline = Duration.seconds(10)
        let signalled = ContinuousClock.now
        kill(getpid(), SIGTERM)
        #expect(returned.wait(timeout: .now() + 10) == .success, "stopped within the deadline")
        #expect(ContinuousClock.now - signalled < deadline)
        #expect(failure.value == nil)
        #expect(shutdown.reason != nil)

        // Everything processed is committed: one output per input below the committed offsets.
        let committed = try harness.committed().values.reduce(0, +)
        let outputs = Set(try harness.readAll("test.out").compactMap { $0.headers.string("ce_id") })
        #expect(committed > 0 && committed < 4000, "stopped mid-load (\(committed) committed)")
        #expect(Int64(outputs.count) == committed, "\(outputs.count) outputs for \(committed) committed inputs")
    }

    @Test("the HTTP endpoints answer while the worker runs, and survive malformed and oversized requests")
    func httpWhileRunning() throws {
        let harness = try Echo.harness()
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 500))
        let running = harness.start(EchoFlow())
        let worker = running.worker
        let endpoints = OperationsEndpoints(metrics: worker.metricsRegistry, liveness: { worker.status.isAlive },
                                            readiness: { worker.status.readiness })
        let server = try HTTPServer.start(HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: endpoints.respond)
        defer { _ = server.stop() }
        #expect(waitUntil(timeout: .seconds(30)) { running.produced(to: "test.out") >= 500 })
        // The lag gauge is refreshed every second: wait for a refresh that saw the end.
        #expect(waitUntil(timeout: .seconds(5)) { metricSum(worker.metricsRegistry, "bus_consumer_lag{") == 0
            && worker.metricsRegistry.render().contains("bus_consumer_lag{") })

        let metrics = try Self.get("/metrics", port: server.port)
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("bus_records_consumed_total{topic=\"test.in\"} 500"))
        #expect(metrics.body.contains("bus_records_produced_total{topic=\"test.out\"} 500"))
        #expect(metrics.body.contains("# TYPE bus_processing_seconds histogram"))
        #expect(metrics.body.contains("bus_consumer_lag{"))
        #expect(try Self.get("/healthz", port: server.port).status == 200)
        #expect(try Self.get("/readyz", port: server.port).status == 200)

        let malformed = try TestHTTPClient(port: server.port)
        _ = malformed.send("GARBAGE\r\n\r\n")
        #expect(malformed.readToEnd().status == 400)
        let oversized = try TestHTTPClient(port: server.port)
        _ = oversized.send("GET /" + String(repeating: "a", count: 1_000_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(oversized.readToEnd().status == 414)
        #expect(try Self.get("/metrics", port: server.port).status == 200, "still serving")
        running.stopCleanly()
        #expect(try Self.get("/readyz", port: server.port).status == 503, "not ready once stopped")
    }

    @Test("a resync request on bus.control makes every instance re-publish its partitions' state once")
    func resyncRequest() throws {
        // Control requests name a real worker: the echo flow borrows one's name.
        let flow = EchoFlow(name: WorkerName.articlePublisher.rawValue)
        let harness = try FlowHarness(flow: flow, topics: ["test.out"], registry: Echo.registry)
        try harness.publish(DeliveryGuaranteeTests.inputs(count: 200))
        let running = harness.start(flow)
        _ = try harness.read("test.out") { $0.count >= 200 }
        let request = ResyncRequest(
            requestID: EventID(rawValue: "resync-1"), worker: .articlePublisher, scope: .all, keys: [],
            reason: "test", requestedBy: "ops", requestedAt: Instant(Date()))
        let envelope = Envelope(for: ResyncRequest.self, id: "resync-1", source: "ops/bus", time: Instant(Date()))
        let record = ProducerRecord(topic: Topics.control, key: flow.name, value: MessageCodec().encode(request),
                                    headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
        try harness.publish([record, record])  // the same request twice: acted on once
        let outputs = try harness.read("test.out") { $0.count >= 200 + DeliveryGuaranteeTests.keys }
        running.stopCleanly()
        let resynced = outputs.filter { $0.headers.string("ce_causationid") == "resync-1" }.compactMap(Echo.echo)
        #expect(resynced.count == DeliveryGuaranteeTests.keys, "one re-publication per key")
        #expect(resynced.allSatisfy { $0.echo.count == 4 }, "with the current state")
    }

    static func get(_ path: String, port: Int) throws -> TestHTTPClient.Response {
        let client = try TestHTTPClient(port: port)
        _ = client.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n")
        return client.readToEnd()
    }
}
