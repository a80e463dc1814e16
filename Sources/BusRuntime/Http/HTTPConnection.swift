#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One accepted connection: read one request head within the deadline, answer, linger, done.
/// The server owns the descriptor and closes it afterwards.
struct HTTPConnection {
    let fd: Int32
    let configuration: HTTPServerConfiguration
    let handler: @Sendable (HTTPRequest) -> HTTPResponse
    /// Called once, when the first bytes arrive: the connection is no longer idle.
    var onStarted: @Sendable () -> Void = {}

    private enum Received {
        case request(HTTPRequest)
        case reject(status: Int, reason: String)
        /// The client left (or the server is stopping) before sending anything worth answering.
        case nothing
    }

    private static let readSize = 4_096
    /// Lingering drains at most this much: enough for a rejected 1 MB line, never unbounded.
    private static let maxDrainBytes = 4 << 20

    func serve() {
        let response: HTTPResponse
        var includeBody = true
        switch receive() {
        case .request(let request):
            includeBody = request.method != "HEAD"
            response = handler(request)
        case .reject(let status, let reason):
            response = .text(status, reason + "\n")
        case .nothing:
            return
        }
        let deadline = ContinuousClock.now + configuration.writeTimeout
        guard Socket.writeAll(fd, response.serialized(includeBody: includeBody), deadline: deadline) else { return }
        linger()
    }

    /// Reads until the head is complete, refused, or the whole-request deadline passes: a
    /// client dribbling one byte at a time cannot hold the connection longer than that.
    private func receive() -> Received {
        var parser = HTTPRequestParser(
            maxRequestLineBytes: configuration.maxRequestLineBytes, maxHeaderBytes: configuration.maxHeaderBytes)
        let deadline = ContinuousClock.now + configuration.requestTimeout
        var buffer = [UInt8](repeating: 0, count: Self.readSize)
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                return .reject(status: 408, reason: "the request did not arrive within \(configuration.requestTimeout)")
            }
            guard let ready = Socket.waitReadable([fd], timeout: left) else { return .nothing }
            if ready.isEmpty { continue }
            guard let count = Socket.read(fd, into: &buffer) else { continue }
            if count < 0 { return .nothing }
            if count > 0, !parser.hasStarted { onStarted() }
            if count == 0 {
                guard parser.hasStarted, case .reject(let status, let reason) = parser.finish() else { return .nothing }
                return .reject(status: status, reason: reason)
            }
            switch parser.feed(buffer[..<count]) {
            case .needMore: continue
            case .request(let request): return .request(request)
            case .reject(let status, let reason): return .reject(status: status, reason: reason)
            }
        }
    }

    /// Half-closes, then discards what the client still sends for a short while: closing with
    /// unread bytes makes the kernel send a reset, which can destroy the response in flight.
    private func linger() {
        shutdown(fd, Int32(SHUT_WR))
        let deadline = ContinuousClock.now + configuration.lingerTimeout
        var scratch = [UInt8](repeating: 0, count: Self.readSize)
        var drained = 0
        while drained < Self.maxDrainBytes {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero, let ready = Socket.waitReadable([fd], timeout: left), !ready.isEmpty else { return }
            guard let count = Socket.read(fd, into: &scratch) else { continue }
            guard count > 0 else { return }
            drained += count
        }
    }
}
