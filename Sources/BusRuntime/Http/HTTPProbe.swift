#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One plain-HTTP `GET` with a deadline, for container health checks that have no shell, curl
/// or wget (`bus probe`): the status line is all it reads.
///
/// Guarantees: it returns by `timeout` whatever the peer does (no answer, a slow trickle, a
/// half-open connection); it never follows redirects; it sends no body and reads no more than
/// the status line.
public enum HTTPProbe {
    /// What the probe saw.
    public enum Outcome: Sendable, Equatable {
        /// The server answered with this status code.
        case status(Int)
        /// No status line within the deadline: why, in words an operator can act on.
        case failed(String)
    }

    /// Sends `GET path` to `host:port` (a name, an IPv4 or an IPv6 address) and reads the status.
    public static func get(host: String, port: Int, path: String, timeout: Duration) -> Outcome {
        let deadline = ContinuousClock.now + timeout
        guard (1...65_535).contains(port) else { return .failed("port \(port) is not 1-65535") }
        let addresses: [Address]
        switch resolve(host, port: port) {
        case .success(let found): addresses = found
        case .failure(let failure): return .failed(failure.reason)
        }
        var lastFailure = "no address for \(host)"
        for address in addresses {
            guard ContinuousClock.now < deadline else { break }
            switch exchange(address, host: host, port: port, path: path, deadline: deadline) {
            case .status(let code): return .status(code)
            case .failed(let reason): lastFailure = reason
            }
        }
        return .failed(lastFailure)
    }

    private struct Address {
        var family: Int32
        var bytes: [UInt8]
    }

    private static func resolve(_ host: String, port: Int) -> Result<[Address], ProbeFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let result = getaddrinfo(host, String(port), &hints, &list)
        guard result == 0, let first = list else {
            return .failure(ProbeFailure("cannot resolve \(host): \(String(cString: gai_strerror(result)))"))
        }
        defer { freeaddrinfo(first) }
        var out: [Address] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let raw = entry.pointee.ai_addr {
                let bytes = Array(UnsafeRawBufferPointer(start: raw, count: Int(entry.pointee.ai_addrlen)))
                out.append(Address(family: entry.pointee.ai_family, bytes: bytes))
            }
            cursor = entry.pointee.ai_next
        }
        return .success(out)
    }

    private struct ProbeFailure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private static func exchange(_ address: Address, host: String, port: Int, path: String, deadline: ContinuousClock.Instant) -> Outcome {
        #if canImport(Glibc)
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(address.family, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return .failed("cannot create a socket (errno \(errno))") }
        defer { close(fd) }
        Socket.configure(fd)
        let started = address.bytes.withUnsafeBytes { raw in
            connect(fd, raw.baseAddress?.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if started != 0 {
            guard errno == EINPROGRESS || errno == EINTR else { return .failed("cannot connect to \(host):\(port): \(describeErrno(errno))") }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero, Socket.waitWritable(fd, timeout: left) == .ready else {
                return .failed("no connection to \(host):\(port) within the timeout")
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            guard code == 0 else { return .failed("cannot connect to \(host):\(port): \(describeErrno(code))") }
        }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: bus-probe\r\nConnection: close\r\n\r\n"
        guard Socket.writeAll(fd, Array(request.utf8), deadline: deadline) else {
            return .failed("\(host):\(port) closed the connection before the request was sent")
        }
        return readStatus(fd, deadline: deadline)
    }

    /// Reads until the end of the status line, at most 1 KiB.
    private static func readStatus(_ fd: Int32, deadline: ContinuousClock.Instant) -> Outcome {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while !received.contains(UInt8(ascii: "\n")) {
            guard received.count < 1_024 else { return .failed("the answer's first line is longer than 1 KiB: not HTTP") }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return .failed("no answer within the timeout") }
            guard let ready = Socket.waitReadable([fd], timeout: left) else { return .failed("the connection failed while waiting") }
            if ready.isEmpty { continue }
            switch Socket.read(fd, into: &buffer) {
            case nil: continue
            case 0?: return received.isEmpty ? .failed("the server closed the connection without answering") : parse(received)
            case let count? where count < 0: return .failed("the connection failed while reading (errno \(errno))")
            case let count?: received += buffer[0..<count]
            }
        }
        return parse(received)
    }

    /// `HTTP/1.1 200 OK` → 200.
    static func parse(_ bytes: [UInt8]) -> Outcome {
        let line = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3, let code = Int(parts[1]) else {
            return .failed("not an HTTP answer")
        }
        return .status(code)
    }

    private static func describeErrno(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
