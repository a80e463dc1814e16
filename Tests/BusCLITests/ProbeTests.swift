import BusRuntime
import Foundation
import Testing

/// `bus probe` as a container health check runs it: a separate process against a real HTTP
/// server, a closed port and a server that never answers.
@Suite("bus probe")
struct ProbeTests {
    /// A real server answering `path` with `status`.
    private static func server(status: Int) throws -> HTTPServer {
        try HTTPServer.start(HTTPServerConfiguration(host: "127.0.0.1", port: 0)) { request in
            request.path == "/readyz" ? .text(status, "answer\n") : .text(404, "not found\n")
        }
    }

    @Test("exit 0 on a 2xx answer, 1 on any other status", arguments: [(200, Int32(0)), (204, 0), (503, 1), (301, 1)])
    func status(status: Int, exit: Int32) throws {
        let server = try Self.server(status: status)
        defer { _ = server.stop() }
        let result = try Bus.run(["probe", "http://127.0.0.1:\(server.port)/readyz"])
        #expect(result.status == exit, "\(result)")
        if exit != 0 { #expect(result.stderr.contains("answered \(status)"), "\(result)") }
    }

    @Test("with no URL it probes the worker's own /readyz on BUS_HTTP_PORT")
    func defaultURL() throws {
        let server = try Self.server(status: 200)
        defer { _ = server.stop() }
        let result = try Bus.run(["probe"], environment: ["BUS_HTTP_PORT": String(server.port)])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("http://127.0.0.1:\(server.port)/readyz: 200"), "\(result)")
        #expect(try Bus.run(["probe", "http://localhost:\(server.port)/other"]).status == 1, "a 404 is not healthy")
    }

    @Test("a closed port fails at once; a server that accepts and never answers fails at the timeout")
    func noAnswer() throws {
        let closed = try Bus.run(["probe", "http://127.0.0.1:1/readyz", "--timeout", "5"])
        #expect(closed.status == 1, "\(closed)")
        #expect(closed.stderr.contains("cannot connect"), "\(closed)")

        // A listening socket nobody accepts from: the kernel completes the handshake, nothing answers.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        #expect(listen(fd, 8) == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let started = ContinuousClock.now
        let silent = try Bus.run(["probe", "http://127.0.0.1:\(port)/readyz", "--timeout", "1.5"])
        let took = ContinuousClock.now - started
        #expect(silent.status == 1, "\(silent)")
        #expect(silent.stderr.contains("no answer within the timeout"), "\(silent)")
        #expect(took >= .seconds(1.4) && took < .seconds(10), "bounded by --timeout (took \(took))")
    }

    @Test("wrong usage exits 2 naming the problem", arguments: [
        (["probe", "https://127.0.0.1:8080/readyz"], "only http://"),
        (["probe", "not a url"], "not a URL"),
        (["probe", "http://127.0.0.1:8080/", "--timeout", "0"], "--timeout"),
        (["probe", "http://a/", "http://b/"], "unexpected argument"),
    ])
    func usage(arguments: [String], message: String) throws {
        let result = try Bus.run(arguments)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains(message), "\(result)")
    }
}
