import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately raw HTTP client on blocking sockets, so tests control every byte and pause.
struct TestHTTPClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A parsed answer: status code, head text and body text.
    struct Response {
        let raw: [UInt8]
        var text: String { String(decoding: raw, as: UTF8.self) }
        var head: String { text.components(separatedBy: "\r\n\r\n").first ?? "" }
        var body: String { text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n") }
        var status: Int? {
            let parts = head.split(separator: " ", maxSplits: 2)
            return parts.count >= 2 ? Int(parts[1]) : nil
        }
    }

    let fd: Int32

    /// Connects to 127.0.0.1:`port`; reads give up after `readTimeout`.
    init(port: Int, readTimeout: Duration = .seconds(5)) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            throw Failure(description: "connect: errno \(code)")
        }
        let seconds = readTimeout.components.seconds
        let micros = readTimeout.components.attoseconds / 1_000_000_000_000
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int(micros))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends bytes; false once the server has closed or reset the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            written += count
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads until the server closes (or the read timeout / a reset ends it).
    func readToEnd() -> Response {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        return Response(raw: received)
    }

    func close() { _ = Glibc.close(fd) }

    /// Connects, sends `request`, reads the answer, closes.
    static func exchange(port: Int, _ request: String) throws -> Response {
        let client = try TestHTTPClient(port: port)
        defer { client.close() }
        client.send(request)
        return client.readToEnd()
    }
}
