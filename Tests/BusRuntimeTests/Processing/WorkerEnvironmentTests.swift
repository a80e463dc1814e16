import BusKafka
import BusSchema
import Foundation
import Testing

/// A worker executable started with what real cluster environments hold: Kubernetes service
/// links and JVM options under `KAFKA_*`, secrets in files, a mistaken setting. It starts, or
/// refuses with exit code 2 naming the variable; no line of its output holds a secret.
@Suite("Worker environment", .serialized)
struct WorkerEnvironmentTests {
    /// Every input co-partitioned (stock claims and availability queries too), as `bus topics apply` creates them.
    static let topics = [Topics.erpStock, Topics.stockClaims, Topics.availabilityQueries, Topics.shopAvailability, Topics.shopCatalog,
                         "bus.stock-broadcaster.state", "bus.dlq.stock-broadcaster", Topics.exceptions, Topics.control]

    /// A running worker (stock-broadcaster unless told) whose standard error is collected.
    final class WorkerProcess: @unchecked Sendable {
        let process = Process()
        let port: Int
        private let errors = Pipe()
        private let lock = NSLock()
        private var collected = Data()

        init(_ environment: [String: String], cluster: EmbeddedCluster, executable name: String = "stock-broadcaster") throws {
            let executable = WorkerProcessTests.binaries.appendingPathComponent(name)
            try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the workers first (swift build)")
            port = try WorkerProcessTests.freePort()
            process.executableURL = executable
            process.environment = [
                "KAFKA_BROKERS": cluster.bootstrapServers, "KAFKA_SESSION_TIMEOUT_MS": "6000", "KAFKA_FETCH_WAIT_MAX_MS": "10",
                "BUS_HTTP_PORT": String(port), "BUS_SHUTDOWN_DEADLINE_SECONDS": "10",
            ].merging(environment) { $1 }
            process.standardError = errors
            process.standardOutput = errors
            errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.lock(); self.collected.append(data); self.lock.unlock()
            }
            try process.run()
        }

        /// Every line written so far, stdout and stderr together.
        var lines: [String] {
            lock.lock(); defer { lock.unlock() }
            return String(decoding: collected, as: UTF8.self).split(separator: "\n").map(String.init)
        }

        /// Waits for the exit, up to `timeout`; nil if it is still running.
        func exitCode(within timeout: Duration) -> Int32? {
            guard WorkerProcessTests.waitFor(timeout: timeout, { !process.isRunning }) else { return nil }
            process.waitUntilExit()
            Thread.sleep(forTimeInterval: 0.2)
            return process.terminationStatus
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGTERM); process.waitUntilExit() }
            errors.fileHandleForReading.readabilityHandler = nil
        }
    }

    static func cluster() throws -> EmbeddedCluster {
        let cluster = try EmbeddedCluster()
        for topic in topics { try cluster.createTopic(topic, partitions: 3) }
        return cluster
    }

    @Test("Kubernetes service links and JVM options under KAFKA_*: ignored with one warning naming them, never their values; the worker becomes ready")
    func serviceLinksIgnored() throws {
        let cluster = try Self.cluster()
        let worker = try WorkerProcess([
            "KAFKA_PORT": "tcp://10.0.0.1:9092", "KAFKA_SERVICE_HOST": "10.0.0.1", "KAFKA_SERVICE_PORT": "9092",
            "KAFKA_PORT_9092_TCP": "tcp://10.0.0.1:9092", "KAFKA_PORT_9092_TCP_ADDR": "10.0.0.1", "KAFKA_PORT_9092_TCP_PROTO": "tcp",
            "KAFKA_OPTS": "-Xmx1g", "KAFKA_HEAP_OPTS": "-Xms512m",
        ], cluster: cluster)
        defer { worker.stop() }
        #expect(WorkerProcessTests.waitFor(timeout: .seconds(60)) { WorkerProcessTests.status(port: worker.port, path: "/readyz") == 200 }, "ready: \(worker.lines.suffix(5))")
        worker.stop()
        #expect(worker.process.terminationStatus == 0)
        let warnings = worker.lines.filter { $0.contains("\"event\":\"kafka_variables_ignored\"") }
        #expect(warnings.count == 1, "one warning: \(worker.lines.prefix(5))")
        let warning = warnings.first ?? ""
        for name in ["KAFKA_PORT", "KAFKA_SERVICE_HOST", "KAFKA_SERVICE_PORT", "KAFKA_PORT_9092_TCP_ADDR", "KAFKA_OPTS", "KAFKA_HEAP_OPTS"] {
            #expect(warning.contains(name), "\(name) named")
        }
        #expect(!worker.lines.contains { $0.contains("10.0.0.1") || $0.contains("Xmx1g") || $0.contains("Xms512m") }, "values never shown")
    }

    @Test("a SASL mechanism librdkafka refuses: exit 2 at start, the log line names KAFKA_SASL_MECHANISM and librdkafka's reason")
    func badMechanism() throws {
        let cluster = try Self.cluster()
        let worker = try WorkerProcess([
            "KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "KAFKA_SASL_MECHANISM": "BOGUS",
            "KAFKA_SASL_USERNAME": "bus", "KAFKA_SASL_PASSWORD": "hunter2-never-shown",
        ], cluster: cluster)
        defer { worker.stop() }
        #expect(worker.exitCode(within: .seconds(30)) == 2)
        let refusal = worker.lines.first { $0.contains("\"event\":\"invalid_kafka_setting\"") } ?? ""
        #expect(refusal.contains("KAFKA_SASL_MECHANISM"), "the variable named: \(worker.lines)")
        #expect(refusal.contains("Unsupported SASL mechanism"), "librdkafka's reason")
        #expect(!worker.lines.contains { $0.contains("hunter2-never-shown") })
    }

    @Test("a value librdkafka refuses at once names its variable too", arguments: [("KAFKA_LINGER_MS", "soon"), ("KAFKA_SECURITY_PROTOCOL", "carrier-pigeon")])
    func badValue(_ variable: String, _ value: String) throws {
        let cluster = try Self.cluster()
        let worker = try WorkerProcess([variable: value], cluster: cluster)
        defer { worker.stop() }
        #expect(worker.exitCode(within: .seconds(30)) == 2)
        #expect(worker.lines.contains { $0.contains("invalid_kafka_setting") && $0.contains(variable) }, "\(worker.lines)")
    }

    @Test("a TLS mistake is told by the log alone: TLS to a plaintext listener gives librdkafka's SSL line at warn or error; a CA file that is not there exits 2 naming KAFKA_SSL_CA_LOCATION")
    func tlsMistakes() throws {
        let cluster = try Self.cluster()
        let missing = try WorkerProcess(["KAFKA_SECURITY_PROTOCOL": "ssl", "KAFKA_SSL_CA_LOCATION": "/nonexistent/ca.pem"], cluster: cluster)
        defer { missing.stop() }
        #expect(missing.exitCode(within: .seconds(30)) == 2)
        #expect(missing.lines.contains { $0.contains("invalid_kafka_setting") && $0.contains("KAFKA_SSL_CA_LOCATION") }, "\(missing.lines)")

        // The embedded cluster's listener is plaintext: the handshake fails, as it does against
        // a broker whose listener is not the one the operator meant.
        let plaintext = try WorkerProcess(["KAFKA_SECURITY_PROTOCOL": "ssl"], cluster: cluster)
        defer { plaintext.stop() }
        let told = WorkerProcessTests.waitFor(timeout: .seconds(30)) {
            plaintext.lines.contains { line in
                line.contains("\"event\":\"kafka_client") && (line.contains("\"level\":\"error\"") || line.contains("\"level\":\"warn\""))
                    && line.localizedCaseInsensitiveContains("ssl")
            }
        }
        #expect(told, "an SSL line at warn or error: \(plaintext.lines.suffix(8))")
        #expect(WorkerProcessTests.status(port: plaintext.port, path: "/readyz") != 200, "not ready without a cluster")
    }

    @Test("KAFKA_SASL_PASSWORD_FILE supplies the password (without it librdkafka refuses to start); no line shows it, even with librdkafka's debug on")
    func secretFile() throws {
        let cluster = try Self.cluster()
        let secret = "pa55-\(UUID().uuidString.prefix(8))"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-password-\(UUID().uuidString)")
        try Data((secret + "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let sasl = ["KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "KAFKA_SASL_MECHANISM": "PLAIN", "KAFKA_SASL_USERNAME": "bus",
                    "KAFKA_DEBUG": "conf,security,broker", "BUS_LOG_LEVEL": "debug"]

        // Without the password, librdkafka refuses the client: the file is what makes it start.
        let without = try WorkerProcess(sasl, cluster: cluster)
        defer { without.stop() }
        #expect(without.exitCode(within: .seconds(30)) == 2)
        #expect(without.lines.contains { $0.contains("invalid_kafka_setting") && $0.contains("sasl.password must be set") }, "\(without.lines)")

        let with = try WorkerProcess(sasl.merging(["KAFKA_SASL_PASSWORD_FILE": file.path]) { $1 }, cluster: cluster)
        defer { with.stop() }
        #expect(with.exitCode(within: .seconds(8)) == nil, "the worker runs: \(with.lines.suffix(5))")
        // The embedded cluster speaks no SASL: the mistake is told by librdkafka's own lines, at their level.
        #expect(WorkerProcessTests.waitFor(timeout: .seconds(20)) {
            with.lines.contains { $0.contains("\"event\":\"kafka_client_log\"") && $0.localizedCaseInsensitiveContains("sasl") }
        }, "librdkafka's SASL lines reach the log")
        with.stop()
        let lines = with.lines + without.lines
        #expect(!lines.isEmpty)
        #expect(!lines.contains { $0.contains(secret) }, "the secret is in no line")
        let notJSON = lines.filter { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) == nil }
        #expect(notJSON.isEmpty, "every line is JSON: \(notJSON.prefix(3))")
    }

    @Test("BUS_WORKER_THREADS: a bad value is exit 2 naming the variable and why; a good one is the decode threads the worker logs", arguments: ["0", "many"])
    func workerThreads(bad: String) throws {
        let cluster = try Self.cluster()
        let refused = try WorkerProcess(["BUS_WORKER_THREADS": bad], cluster: cluster)
        defer { refused.stop() }
        #expect(refused.exitCode(within: .seconds(30)) == 2)
        let line = refused.lines.first { $0.contains("\"event\":\"invalid_configuration\"") } ?? ""
        #expect(line.contains("BUS_WORKER_THREADS"), "the variable named: \(refused.lines)")
        #expect(line.contains(bad == "0" ? "must be at least 1" : "not a whole number"), "and why: \(line)")

        let running = try WorkerProcess(["BUS_WORKER_THREADS": "3"], cluster: cluster)
        defer { running.stop() }
        #expect(WorkerProcessTests.waitFor(timeout: .seconds(30)) {
            running.lines.contains { $0.contains("\"event\":\"decode_threads\"") && $0.contains("\"count\":3") }
        }, "the worker runs with 3 decode threads: \(running.lines.suffix(5))")
    }

    @Test("BUS_WORKER_THREADS unset: the worker decodes on one thread per core available (at most 8) and its start log says it is the default")
    func workerThreadsDefault() throws {
        let cluster = try Self.cluster()
        let running = try WorkerProcess([:], cluster: cluster)
        defer { running.stop() }
        let cores = min(ProcessInfo.processInfo.activeProcessorCount, 8)
        #expect(WorkerProcessTests.waitFor(timeout: .seconds(30)) {
            running.lines.contains { $0.contains("\"event\":\"decode_threads\"") && $0.contains("\"count\":\(cores)") && $0.contains("default: the cores available") }
        }, "the worker runs with \(cores) decode threads by default: \(running.lines.suffix(5))")
    }
}
