import Foundation
import Synchronization
import Testing
import BusRuntime

/// Collects lines written by a logger.
private final class Lines: Sendable {
    private let storage = Mutex<[String]>([])
    var all: [String] { storage.withLock { $0 } }
    var sink: LogSink { LogSink { line in self.storage.withLock { $0.append(line) } } }
}

/// 2024-05-01T12:00:00.123Z
private let fixedTime = Date(timeIntervalSince1970: 1_714_564_800.123_4)

private func logger(_ lines: Lines, level: LogLevel = .debug, worker: String = "order-ingest") -> Logger {
    Logger(worker: worker, minimumLevel: level, sink: lines.sink, clock: { fixedTime })
}

struct LoggerTests {
    @Test("a line holds time, level, worker, event, then fields in a fixed order")
    func exactLine() {
        let lines = Lines()
        let log = logger(lines)
        // Fields given out of order still come out in the documented order.
        log.info("record.dead_lettered", .offset(42), .reason("invalid"), .partition(3), .topic("shop.orders"),
                 .ceID("9f0c1e2a-0000-4000-8000-000000000001"), .field("lines[0].quantity"), .attempt(1))
        log.warn("produce.retry", .attempt(3), .delay(.milliseconds(250)), .errorCode("_TRANSPORT"))
        log.debug("batch.done", .count(12), .duration(.microseconds(1_500)))
        #expect(lines.all == [
            #"{"time":"2024-05-01T12:00:00.123Z","level":"info","worker":"order-ingest","event":"record.dead_lettered","message":"record dead lettered","topic":"shop.orders","partition":3,"offset":42,"ce_id":"9f0c1e2a-0000-4000-8000-000000000001","attempt":1,"reason":"invalid","field":"lines[0].quantity"}"#,
            #"{"time":"2024-05-01T12:00:00.123Z","level":"warn","worker":"order-ingest","event":"produce.retry","message":"produce retry","attempt":3,"delay_ms":250,"error_code":"_TRANSPORT"}"#,
            #"{"time":"2024-05-01T12:00:00.123Z","level":"debug","worker":"order-ingest","event":"batch.done","message":"batch done","count":12,"duration_ms":1.5}"#,
        ])
    }

    @Test("a record's traceparent gives trace_id, span_id and trace_flags; a malformed one gives none", arguments: [
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
         #","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","trace_flags":"01""#),
        ("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", ""),  // uppercase is not W3C
        ("00-00000000000000000000000000000000-00f067aa0ba902b7-01", ""),  // all-zero trace id
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", ""),  // all-zero span id
        ("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", ""),  // version 00 has 4 parts
        ("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", ""),  // version ff is invalid
        ("\"},\"email\":\"a@b.c", ""),  // cannot inject members
    ])
    func trace(traceparent: String, members: String) throws {
        let lines = Lines()
        logger(lines).warn("dead_letter", .offset(7), .trace(TraceContext(traceparent: traceparent)))
        let line = try #require(lines.all.first)
        #expect(line == #"{"time":"2024-05-01T12:00:00.123Z","level":"warn","worker":"order-ingest","event":"dead_letter","message":"dead letter","offset":7"# + members + "}")
    }

    @Test("a runtime error logs its code and message")
    func runtimeError() {
        let lines = Lines()
        let error = RuntimeError(.invalidConfiguration, "BUS_HTTP_PORT: not a port number (got 'abc')")
        logger(lines).error("worker.config_invalid", .error(error), .groupID("order-ingest"), .port(8080))
        #expect(lines.all == [
            #"{"time":"2024-05-01T12:00:00.123Z","level":"error","worker":"order-ingest","event":"worker.config_invalid","message":"worker config invalid","group_id":"order-ingest","port":8080,"error_code":"invalidConfiguration","error":"BUS_HTTP_PORT: not a port number (got 'abc')"}"#,
        ])
    }

    @Test("levels below the minimum are dropped", arguments: [
        (LogLevel.debug, ["debug", "info", "warn", "error"]),
        (.info, ["info", "warn", "error"]),
        (.warn, ["warn", "error"]),
        (.error, ["error"]),
    ])
    func filtering(minimum: LogLevel, written: [String]) {
        let lines = Lines()
        let log = logger(lines, level: minimum)
        log.debug("e")
        log.info("e")
        log.warn("e")
        log.log(.error, "e")
        let levels = lines.all.map { line -> String in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["level"] as? String ?? "?"
        }
        #expect(levels == written)
        #expect(log.isEnabled(.error))
    }

    @Test("strings are escaped into valid JSON", arguments: [
        ("plain", #""plain""#),
        ("quote \" and \\ backslash", #""quote \" and \\ backslash""#),
        ("line\nfeed\rreturn\ttab", #""line\nfeed\rreturn\ttab""#),
        ("bell\u{07} nul\u{00} del\u{7F}", #""bell\u0007 nul\u0000 del\u007f""#),
        ("\u{08}\u{0C}", #""\b\f""#),
        ("sep\u{2028}\u{2029}", #""sep\u2028\u2029""#),
        ("ünïcödé 📦", #""ünïcödé 📦""#),
    ])
    func escaping(raw: String, json: String) throws {
        let lines = Lines()
        logger(lines).info("e", .topic(raw))
        let line = try #require(lines.all.first)
        #expect(line == #"{"time":"2024-05-01T12:00:00.123Z","level":"info","worker":"order-ingest","event":"e","message":"e","topic":"# + json + "}")
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(object?["topic"] as? String == raw)
    }

    @Test("long strings are cut, so a mistake cannot dump a payload")
    func truncation() throws {
        let lines = Lines()
        logger(lines).info("e", .ceID(String(repeating: "x", count: 10_000)))
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix(#""ce_id":""# + String(repeating: "x", count: 256) + #"…"}"#))
    }

    @Test("times are RFC 3339 UTC with milliseconds", arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_714_564_800.999_9, "2024-05-01T12:00:00.999Z"),
        (951_782_400, "2000-02-29T00:00:00.000Z"),
        (4_102_444_799.5, "2099-12-31T23:59:59.500Z"),
    ])
    func times(seconds: Double, text: String) throws {
        let lines = Lines()
        Logger(worker: "w", sink: lines.sink, clock: { Date(timeIntervalSince1970: seconds) }).info("e")
        let line = try #require(lines.all.first)
        #expect(line.hasPrefix(#"{"time":""# + text + #"""#))
    }

    @Test("durations are milliseconds with at most three decimals", arguments: [
        (Duration.zero, "0"), (.seconds(2), "2000"), (.microseconds(1), "0.001"),
        (.microseconds(1_250), "1.25"), (.nanoseconds(400), "0"), (.microseconds(-1_500), "-1.5"),
        (.microseconds(-500), "-0.5"),
    ])
    func durations(duration: Duration, text: String) throws {
        let lines = Lines()
        logger(lines).info("e", .duration(duration))
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix(#""duration_ms":"# + text + "}"))
    }

    @Test("log levels parse from BUS_LOG_LEVEL values", arguments: [
        ("debug", LogLevel.debug), ("INFO", .info), ("Warn", .warn), ("error", .error),
        ("warning", nil), ("", nil), ("trace", nil),
    ])
    func parsing(text: String, level: LogLevel?) {
        #expect(LogLevel(name: text) == level)
    }
}
