import Dispatch
import Foundation
import Testing
@testable import BusRuntime

/// Real sockets on 127.0.0.1 with an ephemeral port. Timeouts are shortened so slow-client
/// cases take a fraction of a second.
struct HTTPServerTests {
    static func startServer(
        alive: Bool = true, readiness: Readiness = .ready, requestTimeout: Duration = .milliseconds(500),
        maxConnections: Int = 16
    ) throws -> HTTPServer {
        let metrics = MetricsRegistry()
        try metrics.counter("bus_records_consumed_total", help: "Records read.", labels: ["topic"])
            .increment(by: 3, labels: ["topic": "shop.orders"])
        let endpoints = OperationsEndpoints(metrics: metrics, liveness: { alive }, readiness: { readiness })
        let configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, requestTimeout: requestTimeout, writeTimeout: .seconds(2),
            maxConnections: maxConnections, lingerTimeout: .milliseconds(500))
        return try HTTPServer.start(configuration, handler: endpoints.respond(to:))
    }

    @Test("/metrics over the wire: exact status line, headers and body")
    func metrics() throws {
        let server = try Self.startServer()
        defer { server.stop() }
        #expect(server.port > 0)
        let response = try TestHTTPClient.exchange(port: server.port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let body = "# HELP bus_records_consumed_total Records read.\n# TYPE bus_records_consumed_total counter\n"
            + "bus_records_consumed_total{topic=\"shop.orders\"} 3\n"
        #expect(response.text == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body)
    }

    @Test("each route answers over the wire", arguments: [
        ("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n", true, Readiness.ready, 200, "ok\n"),
        ("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n", false, .ready, 503, "the processing loop is not alive\n"),
        ("GET /readyz HTTP/1.1\r\nHost: h\r\n\r\n", true, .ready, 200, "ready\n"),
        ("GET /readyz HTTP/1.0\r\n\r\n", true, .notReady(reason: "partitions not assigned"), 503, "not ready: partitions not assigned\n"),
        ("HEAD /readyz HTTP/1.1\r\nHost: h\r\n\r\n", true, .ready, 200, ""),
        ("GET /nope HTTP/1.1\r\nHost: h\r\n\r\n", true, .ready, 404, "not found; try /metrics, /healthz or /readyz\n"),
        ("POST /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}", true, .ready, 405, "only GET and HEAD are allowed\n"),
        ("GARBAGE\r\n\r\n", true, .ready, 400, "the request line must be: method, target, version\n"),
        ("GET / HTTP/1.1\r\n\r\n", true, .ready, 400, "the Host header is missing\n"),
        ("GET / HTTP/3.0\r\nHost: h\r\n\r\n", true, .ready, 505, "only HTTP/1.0 and HTTP/1.1 are supported\n"),
        ("GET /healthz HTTP/1.1\r\nHost: h", true, .ready, 408, "the request did not arrive within 0.5 seconds\n"),
    ])
    func routes(request: String, alive: Bool, readiness: Readiness, status: Int, body: String) throws {
        let server = try Self.startServer(alive: alive, readiness: readiness)
        defer { server.stop() }
        let response = try TestHTTPClient.exchange(port: server.port, request)
        #expect(response.status == status)
        #expect(response.body == body)
        #expect(response.head.contains("\r\nConnection: close"))
        if request.hasPrefix("HEAD") { #expect(response.head.contains("Content-Length: 6")) }
    }

    @Test("a 1 MB request line gets 414 and the server keeps serving")
    func megabyteRequestLine() throws {
        let server = try Self.startServer(requestTimeout: .seconds(3))
        defer { server.stop() }
        let client = try TestHTTPClient(port: server.port)
        defer { client.close() }
        // Send from another thread: the server stops reading at 8 KiB, so this write may block
        // until the server has answered and lingered; the reply must still arrive intact.
        let line = Array("GET /".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20) + Array(" HTTP/1.1\r\n\r\n".utf8)
        Thread { client.send(line) }.start()
        let response = client.readToEnd()
        #expect(response.status == 414)
        #expect(response.body == "the request line is longer than 8192 bytes\n")
        let after = try TestHTTPClient.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(after.status == 200)
    }

    @Test("oversized headers get 431")
    func oversizedHeaders() throws {
        let server = try Self.startServer()
        defer { server.stop() }
        let headers = String(repeating: "X-Filler: \(String(repeating: "z", count: 100))\r\n", count: 100)
        let response = try TestHTTPClient.exchange(port: server.port, "GET / HTTP/1.1\r\nHost: h\r\n\(headers)\r\n")
        #expect(response.status == 431)
    }

    @Test("a silent client does not block another, and is answered 408 at its deadline")
    func slowClient() throws {
        let server = try Self.startServer(requestTimeout: .milliseconds(1_500))
        defer { server.stop() }
        let silent = try TestHTTPClient(port: server.port)
        defer { silent.close() }
        let dribbler = try TestHTTPClient(port: server.port)
        defer { dribbler.close() }
        dribbler.send("GET /hea")

        let started = ContinuousClock.now
        let served = try TestHTTPClient.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(served.status == 200)
        #expect(ContinuousClock.now - started < .seconds(1))  // not queued behind the silent one

        // Bytes trickling in do not extend the deadline: it covers the whole request head.
        for _ in 0..<4 {
            Thread.sleep(forTimeInterval: 0.1)
            dribbler.send("l")
        }
        #expect(silent.readToEnd().status == 408)
        #expect(dribbler.readToEnd().status == 408)
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test("idle connections filling the cap do not turn a probe into a 503; connections already sending keep their place")
    func idleConnectionsGiveWay() throws {
        let server = try Self.startServer(requestTimeout: .seconds(5), maxConnections: 4)
        defer { server.stop() }
        let idle = try (0..<4).map { _ in try TestHTTPClient(port: server.port) }
        defer { idle.forEach { $0.close() } }
        try waitUntil { server.openConnections == 4 }
        for _ in 0..<3 {
            #expect(try TestHTTPClient.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n").status == 200)
        }
        // Four clients in the middle of a request: the cap holds, the newcomer is told so.
        let busy = try (0..<4).map { _ in
            let client = try TestHTTPClient(port: server.port)
            _ = client.send("GET /hea")
            Thread.sleep(forTimeInterval: 0.05)
            return client
        }
        defer { busy.forEach { $0.close() } }
        try waitUntil { server.openConnections >= 4 }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try TestHTTPClient.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n").status == 503)
    }

    @Test("a client that connects and leaves is simply closed")
    func connectAndLeave() throws {
        let server = try Self.startServer()
        defer { server.stop() }
        for _ in 0..<5 { try TestHTTPClient(port: server.port).close() }
        #expect(try TestHTTPClient.exchange(port: server.port, "GET /healthz HTTP/1.0\r\n\r\n").status == 200)
    }

    @Test("connections beyond the limit get an immediate 503; freed slots serve again")
    func connectionLimit() throws {
        let server = try Self.startServer(requestTimeout: .seconds(3), maxConnections: 3)
        defer { server.stop() }
        let holders = try (0..<3).map { _ in try TestHTTPClient(port: server.port) }
        try waitUntil { server.openConnections == 3 }
        // Holders in the middle of their request (idle ones would give way: see below).
        for holder in holders { _ = holder.send("GET /hea") }
        Thread.sleep(forTimeInterval: 0.2)
        let started = ContinuousClock.now
        let refused = try TestHTTPClient.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
        // The refusal is written at once; a reset racing it is also an acceptable fast failure.
        #expect(refused.status == 503 || refused.raw.isEmpty)
        #expect(ContinuousClock.now - started < .seconds(1))
        holders.forEach { $0.close() }
        try waitUntil { server.openConnections == 0 }
        #expect(try TestHTTPClient.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n").status == 200)
    }

    @Test("many clients at once all get an answer")
    func manyClients() throws {
        let server = try Self.startServer(maxConnections: 8)
        defer { server.stop() }
        let statuses = Locked<[Int]>([])
        let done = DispatchGroup()
        // Own threads, not Dispatch's pool: 40 blocked clients must not starve other tests.
        for _ in 0..<40 {
            done.enter()
            Thread {
                let status = (try? TestHTTPClient.exchange(port: server.port, "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n"))?.status
                statuses.update { $0.append(status ?? 0) }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 20) == .success)
        #expect(statuses.value.count == 40)
        #expect(statuses.value.allSatisfy { $0 == 200 || $0 == 503 || $0 == 0 })
        #expect(statuses.value.filter { $0 == 200 }.count >= 8)
    }

    @Test("stop interrupts open connections, frees the port, and can be repeated")
    func stop() throws {
        let server = try Self.startServer(requestTimeout: .seconds(30))
        let idle = try TestHTTPClient(port: server.port)
        defer { idle.close() }
        try waitUntil { server.openConnections == 1 }
        let started = ContinuousClock.now
        #expect(server.stop(timeout: .seconds(5)))
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(idle.readToEnd().raw.isEmpty)
        #expect(throws: TestHTTPClient.Failure.self) { try TestHTTPClient(port: server.port) }
        #expect(server.stop(timeout: .seconds(1)))
    }

    @Test("binding a port in use, or a bad address, is a clear error")
    func bindFailures() throws {
        let server = try Self.startServer()
        defer { server.stop() }
        let inUse = #expect(throws: RuntimeError.self) {
            try HTTPServer.start(HTTPServerConfiguration(host: "127.0.0.1", port: server.port)) { _ in .text(200, "") }
        }
        #expect(inUse?.code == .httpServerFailure)
        #expect(inUse?.context["port"] == String(server.port))
        let badHost = #expect(throws: RuntimeError.self) {
            try HTTPServer.start(HTTPServerConfiguration(host: "localhost", port: 0)) { _ in .text(200, "") }
        }
        #expect(badHost?.message == "the HTTP listen address must be an IPv4 address and a port 0-65535")
    }

    /// Polls a condition the server reaches asynchronously (a connection being accepted).
    private func waitUntil(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not reached in 5 s", sourceLocation: sourceLocation)
                return
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}
