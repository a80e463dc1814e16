import Testing
@testable import BusRuntime

struct OperationsEndpointsTests {
    static func endpoints(alive: Bool, readiness: Readiness) throws -> OperationsEndpoints {
        let metrics = MetricsRegistry()
        try metrics.counter("bus_rebalances_total", help: "Rebalances.").increment()
        return OperationsEndpoints(metrics: metrics, liveness: { alive }, readiness: { readiness })
    }

    @Test("routes answer by method, path and probe state", arguments: [
        ("GET", "/healthz", true, Readiness.ready, 200, "ok\n"),
        ("GET", "/healthz", false, .ready, 503, "the processing loop is not alive\n"),
        ("GET", "/readyz", true, .ready, 200, "ready\n"),
        ("GET", "/readyz?verbose", true, .notReady(reason: "rebuilding state"), 503, "not ready: rebuilding state\n"),
        ("GET", "/readyz", true, .notReady(reason: "two\nlines"), 503, "not ready: two lines\n"),
        ("HEAD", "/healthz", true, .ready, 200, "ok\n"),
        ("GET", "/", true, .ready, 404, "not found; try /metrics, /healthz or /readyz\n"),
        ("GET", "/metrics/extra", true, .ready, 404, "not found; try /metrics, /healthz or /readyz\n"),
        ("POST", "/metrics", true, .ready, 405, "only GET and HEAD are allowed\n"),
        ("DELETE", "/nowhere", true, .ready, 405, "only GET and HEAD are allowed\n"),
        ("get", "/healthz", true, .ready, 405, "only GET and HEAD are allowed\n"),  // methods are case-sensitive
    ])
    func routes(method: String, target: String, alive: Bool, readiness: Readiness, status: Int, body: String) throws {
        let response = try Self.endpoints(alive: alive, readiness: readiness)
            .respond(to: HTTPRequest(method: method, target: target))
        #expect(response.status == status)
        #expect(String(decoding: response.body, as: UTF8.self) == body)
        #expect(response.headers.first { $0.name == "Allow" }?.value == (status == 405 ? "GET, HEAD" : nil))
    }

    @Test("/metrics serves the registry as Prometheus text")
    func metrics() throws {
        let response = try Self.endpoints(alive: true, readiness: .ready).respond(to: HTTPRequest(method: "GET", target: "/metrics"))
        #expect(response.status == 200)
        #expect(response.headers.map(\.name) == ["Content-Type"])
        #expect(response.headers.map(\.value) == ["text/plain; version=0.0.4; charset=utf-8"])
        #expect(String(decoding: response.body, as: UTF8.self)
            == "# HELP bus_rebalances_total Rebalances.\n# TYPE bus_rebalances_total counter\nbus_rebalances_total 1\n")
    }

    @Test("responses serialise with length and close, and HEAD keeps the length but not the body")
    func serialisation() {
        var response = HTTPResponse.text(200, "ok\n")
        response.headers.append(("X-Bad", "a\r\nInjected: yes"))
        #expect(String(decoding: response.serialized(includeBody: true), as: UTF8.self) == """
            HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Bad: aInjected: yes\r
            Content-Length: 3\r\nConnection: close\r\n\r\nok\n
            """)
        #expect(String(decoding: response.serialized(includeBody: false), as: UTF8.self).hasSuffix("Connection: close\r\n\r\n"))
    }
}
