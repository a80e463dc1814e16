import Foundation
import Testing
import BusRuntime

struct WorkerConfigTests {
    @Test("an empty environment gives the documented defaults")
    func defaults() throws {
        let config = try WorkerConfig.fromEnvironment(workerName: "order-ingest", environment: [:])
        #expect(config == WorkerConfig(
            workerName: "order-ingest", groupID: "order-ingest", httpPort: 8080, logLevel: .info,
            rulesPath: nil, shutdownDeadline: .seconds(20), environment: [:]))
    }

    @Test("valid values are read, and the whole environment is kept")
    func values() throws {
        let file = try TemporaryFile(contents: "{}")
        let environment = [
            "BUS_GROUP_ID": "orders-v2", "BUS_HTTP_PORT": "0", "BUS_LOG_LEVEL": "WARN",
            "BUS_CONFIG": file.path, "BUS_SHUTDOWN_DEADLINE_SECONDS": "7.5", "KAFKA_BROKERS": "kafka:9092",
        ]
        let config = try WorkerConfig.fromEnvironment(workerName: "order-ingest", environment: environment)
        #expect(config.groupID == "orders-v2")
        #expect(config.httpPort == 0)
        #expect(config.logLevel == .warn)
        #expect(config.rulesPath == file.path)
        #expect(config.shutdownDeadline == .milliseconds(7_500))
        #expect(config.environment["KAFKA_BROKERS"] == "kafka:9092")
    }

    @Test("one bad value is reported with its variable, reason and value", arguments: [
        ("BUS_HTTP_PORT", "abc", "BUS_HTTP_PORT: not a port number (got 'abc')"),
        ("BUS_HTTP_PORT", "-1", "BUS_HTTP_PORT: not a port number (got '-1')"),
        ("BUS_HTTP_PORT", "65536", "BUS_HTTP_PORT: not a port number: above 65535 (got '65536')"),
        ("BUS_HTTP_PORT", "", "BUS_HTTP_PORT: not a port number (got '')"),
        ("BUS_HTTP_PORT", "99999999999999999999", "BUS_HTTP_PORT: not a port number (got '99999999999999999999')"),
        ("BUS_LOG_LEVEL", "verbose", "BUS_LOG_LEVEL: not one of debug, info, warn, error (got 'verbose')"),
        ("BUS_GROUP_ID", " ", "BUS_GROUP_ID: empty; unset it to use the worker's name (got ' ')"),
        ("BUS_GROUP_ID", "a\nb", "BUS_GROUP_ID: contains control characters (got 'a\\nb')"),
        ("BUS_SHUTDOWN_DEADLINE_SECONDS", "0", "BUS_SHUTDOWN_DEADLINE_SECONDS: must be more than 0 seconds (got '0')"),
        ("BUS_SHUTDOWN_DEADLINE_SECONDS", "inf", "BUS_SHUTDOWN_DEADLINE_SECONDS: not a number of seconds (got 'inf')"),
        ("BUS_SHUTDOWN_DEADLINE_SECONDS", "1h", "BUS_SHUTDOWN_DEADLINE_SECONDS: not a number of seconds (got '1h')"),
        ("BUS_SHUTDOWN_DEADLINE_SECONDS", "7200", "BUS_SHUTDOWN_DEADLINE_SECONDS: must be at most 3600 seconds (got '7200')"),
        ("BUS_CONFIG", "/nonexistent/rules.json", "BUS_CONFIG: no such file (got '/nonexistent/rules.json')"),
        ("BUS_CONFIG", "/tmp", "BUS_CONFIG: a directory, not a JSON rules file (got '/tmp')"),
        ("BUS_CONFIG", "", "BUS_CONFIG: empty; unset it to use the flow's default rules (got '')"),
        ("BUS_WORKER_THREADS", "0", "BUS_WORKER_THREADS: must be at least 1 (got '0')"),
        ("BUS_WORKER_THREADS", "257", "BUS_WORKER_THREADS: must be at most 256 (got '257')"),
        ("BUS_WORKER_THREADS", "-2", "BUS_WORKER_THREADS: not a whole number; unset it for one per core (got '-2')"),
        ("BUS_WORKER_THREADS", "two", "BUS_WORKER_THREADS: not a whole number; unset it for one per core (got 'two')"),
        ("BUS_WORKER_THREADS", "1.5", "BUS_WORKER_THREADS: not a whole number; unset it for one per core (got '1.5')"),
        ("BUS_WORKER_THREADS", "", "BUS_WORKER_THREADS: not a whole number; unset it for one per core (got '')"),
        ("BUS_WORKER_THREADS", "99999999999999999999", "BUS_WORKER_THREADS: not a whole number; unset it for one per core (got '99999999999999999999')"),
    ])
    func oneBadValue(variable: String, value: String, message: String) {
        let error = #expect(throws: RuntimeError.self) {
            try WorkerConfig.fromEnvironment(workerName: "w", environment: [variable: value])
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message == "1 environment variable is invalid: \(message)")
        #expect(error?.context.keys.sorted() == [variable])
    }

    @Test("BUS_WORKER_THREADS sets the decode threads; unset, there is one per core available, at most 8")
    func workerThreads() throws {
        let two = try WorkerConfig.fromEnvironment(workerName: "w", environment: ["BUS_WORKER_THREADS": " 2 "])
        #expect(two.workerThreads == 2)
        #expect(two.processingOptions.workerThreads == 2)
        let unset = try WorkerConfig.fromEnvironment(workerName: "w", environment: [:])
        let cores = min(ProcessInfo.processInfo.activeProcessorCount, 8)
        #expect(two.workerThreadsSet && !unset.workerThreadsSet)
        #expect(unset.workerThreads == cores)
        #expect(unset.processingOptions.workerThreads == cores)
        #expect(ProcessingOptions().workerThreads == cores, "the library's default is the same")
    }

    @Test("BUS_FAULT_INJECTION=store-offsets-before-ack switches the fault on; unset, it is off")
    func faultInjection() throws {
        let faulty = try WorkerConfig.fromEnvironment(workerName: "w", environment: ["BUS_FAULT_INJECTION": "store-offsets-before-ack"])
        #expect(faulty.faultInjection == .storeOffsetsBeforeAcknowledgement)
        #expect(faulty.processingOptions.storesOffsetsBeforeAcknowledgement)
        let healthy = try WorkerConfig.fromEnvironment(workerName: "w", environment: [:])
        #expect(healthy.faultInjection == nil)
        #expect(!healthy.processingOptions.storesOffsetsBeforeAcknowledgement)
        #expect(healthy.processingOptions.drainTimeout == .seconds(17), "the drain leaves 3 s of the 20 s deadline")
    }

    @Test("an unknown BUS_FAULT_INJECTION is refused at start, naming the known faults", arguments: ["", "store-offsets", "chaos"])
    func unknownFault(value: String) {
        let error = #expect(throws: RuntimeError.self) {
            try WorkerConfig.fromEnvironment(workerName: "w", environment: ["BUS_FAULT_INJECTION": value])
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message == "1 environment variable is invalid: BUS_FAULT_INJECTION: not a known fault "
            + "(known: store-offsets-before-ack); unset it in production (got '\(value)')")
    }

    @Test("every bad value is reported in one error")
    func allBadValues() {
        let error = #expect(throws: RuntimeError.self) {
            try WorkerConfig.fromEnvironment(workerName: "w", environment: [
                "BUS_HTTP_PORT": "http", "BUS_LOG_LEVEL": "loud", "BUS_SHUTDOWN_DEADLINE_SECONDS": "-3",
                "BUS_GROUP_ID": "fine",
            ])
        }
        #expect(error?.message == "3 environment variables are invalid: "
            + "BUS_HTTP_PORT: not a port number (got 'http'); "
            + "BUS_LOG_LEVEL: not one of debug, info, warn, error (got 'loud'); "
            + "BUS_SHUTDOWN_DEADLINE_SECONDS: not a number of seconds (got '-3')")
        #expect(error?.context.keys.sorted() == ["BUS_HTTP_PORT", "BUS_LOG_LEVEL", "BUS_SHUTDOWN_DEADLINE_SECONDS"])
    }

    @Test("a long bad value is cut in the message")
    func longValue() {
        let error = #expect(throws: RuntimeError.self) {
            try WorkerConfig.fromEnvironment(workerName: "w", environment: ["BUS_LOG_LEVEL": String(repeating: "z", count: 500)])
        }
        #expect(error?.message.hasSuffix("(got '\(String(repeating: "z", count: 64))…')") == true)
    }
}

/// A file in the temporary directory, removed when the value is released.
final class TemporaryFile {
    let path: String

    init(contents: String, permissions: Int = 0o600) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("bus-runtime-\(UUID().uuidString).json").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
