import Testing
@testable import BusRuntime

private func parser() -> HTTPRequestParser {
    HTTPRequestParser(maxRequestLineBytes: 8_192, maxHeaderBytes: 8_192)
}

private func parse(_ text: String) -> HTTPRequestParser.Outcome {
    var parser = parser()
    return parser.feed(Array(text.utf8))
}

struct HTTPRequestParserTests {
    @Test("a valid head is parsed, in one piece or byte by byte")
    func valid() {
        let text = "GET /metrics?x=1 HTTP/1.1\r\nHost: worker:8080\r\nUser-Agent:  Prometheus/2.0 \r\nAccept: */*\r\n\r\nbody"
        let expected = HTTPRequest(method: "GET", target: "/metrics?x=1", version: "HTTP/1.1", headers: [
            .init(name: "Host", value: "worker:8080"), .init(name: "User-Agent", value: "Prometheus/2.0"),
            .init(name: "Accept", value: "*/*"),
        ])
        #expect(parse(text) == .request(expected))
        var slow = parser()
        var outcome = HTTPRequestParser.Outcome.needMore
        for byte in text.utf8 where outcome == .needMore { outcome = slow.feed([byte]) }
        #expect(outcome == .request(expected))
        #expect(expected.path == "/metrics")
        #expect(expected.header("user-agent") == "Prometheus/2.0")
    }

    @Test("accepted variations", arguments: [
        ("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", "GET", "/"),  // empty lines before the request
        ("GET /healthz HTTP/1.1\nHost: h\n\n", "GET", "/healthz"),  // bare LF line ends
        ("HEAD /readyz HTTP/1.0\r\n\r\n", "HEAD", "/readyz"),  // HTTP/1.0 needs no Host
        ("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "OPTIONS", "*"),
        ("GET / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nX-Latin: caf\u{E9}\r\n\r\n", "GET", "/"),
    ])
    func variations(text: String, method: String, path: String) {
        guard case .request(let request) = parse(text) else {
            Issue.record("rejected: \(parse(text))")
            return
        }
        #expect(request.method == method)
        #expect(request.path == path)
    }

    @Test("malformed heads are refused with 400 or 505", arguments: [
        ("GET /\r\n\r\n", 400, "the request line must be: method, target, version"),
        ("GET  / HTTP/1.1\r\n\r\n", 400, "the request line must be: method, target, version"),
        ("G@T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "the method is not a valid token"),
        ("GET metrics HTTP/1.1\r\nHost: h\r\n\r\n", 400, "the request target must be a path starting with '/'"),
        ("GET http://h/metrics HTTP/1.1\r\nHost: h\r\n\r\n", 400, "the request target must be a path starting with '/'"),
        ("GET /caf\u{E9} HTTP/1.1\r\nHost: h\r\n\r\n", 400, "the request target must be a path starting with '/'"),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505, "only HTTP/1.0 and HTTP/1.1 are supported"),
        ("GET / FTP/1.1\r\nHost: h\r\n\r\n", 400, "the protocol version is not HTTP/x.y"),
        ("GET / HTTP/1.1\r\n\r\n", 400, "the Host header is missing"),
        ("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400, "the Host header is repeated"),
        ("GET / HTTP/1.1\r\nHost: h\r\nNo colon here\r\n\r\n", 400, "a header line has no ':'"),
        ("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400, "a header name is not a valid token"),
        ("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", 400, "a header line has no ':'"),
        ("GET / HTTP/1.1\r\nHost: h\r\n folded: x\r\n\r\n", 400, "a header name is not a valid token"),
        ("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{01}b\r\n\r\n", 400, "a header value contains control characters"),
        ("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{FC}\u{03}\u{03}\n", 400, "the request line must be: method, target, version"),
    ])
    func malformed(text: String, status: Int, reason: String) {
        #expect(parse(text) == .reject(status: status, reason: reason))
    }

    @Test("a long request line is refused after the limit, without reading it all")
    func longRequestLine() {
        var parser = parser()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 4_096)
        var feeds = 1
        var outcome = parser.feed(Array("GET /".utf8) + chunk)
        while outcome == .needMore, feeds < 256 {
            outcome = parser.feed(chunk)
            feeds += 1
        }
        #expect(outcome == .reject(status: 414, reason: "the request line is longer than 8192 bytes"))
        #expect(feeds == 2)  // about 8 KiB seen of what would have been 1 MiB
        #expect(parser.feed(chunk) == outcome)  // settled
    }

    @Test("a complete request line over the limit is refused too")
    func completeLongLine() {
        let target = "/" + String(repeating: "x", count: 8_200)
        #expect(parse("GET \(target) HTTP/1.1\r\nHost: h\r\n\r\n")
            == .reject(status: 414, reason: "the request line is longer than 8192 bytes"))
    }

    @Test("a header section over the limit is refused with 431", arguments: [
        // Many small headers, one huge header, and one that never ends.
        String(repeating: "X-Filler: 0123456789abcdef0123456789abcdef\r\n", count: 250) + "\r\n",
        "X-Big: " + String(repeating: "v", count: 9_000) + "\r\n\r\n",
        "X-Endless: " + String(repeating: "v", count: 9_000),
    ])
    func largeHeaders(headers: String) {
        #expect(parse("GET / HTTP/1.1\r\nHost: h\r\n" + headers)
            == .reject(status: 431, reason: "the header section is larger than 8192 bytes"))
    }

    @Test("a head cut short by the client is refused when the stream ends")
    func truncated() {
        var parser = parser()
        #expect(parser.feed(Array("GET / HTTP/1.1\r\nHo".utf8)) == .needMore)
        #expect(parser.hasStarted)
        #expect(parser.finish() == .reject(status: 400, reason: "the request ended before its header section"))
        var empty = HTTPRequestParser(maxRequestLineBytes: 10, maxHeaderBytes: 10)
        #expect(empty.feed(Array("\r\n".utf8)) == .needMore)
        #expect(!empty.hasStarted)
    }
}
