#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX socket calls the HTTP server needs, with deadlines instead of blocking.
/// File descriptors are plain `Int32`s owned by their caller, who closes them.
enum Socket {
    /// What waiting on a descriptor gave.
    enum Wait: Equatable {
        case ready
        case timedOut
        case failed
    }

    /// A listening IPv4 TCP socket on `host:port` (port 0: the kernel picks one), non-blocking,
    /// close-on-exec. Returns the descriptor and the bound port.
    static func openListener(host: String, port: Int, backlog: Int32 = 128) throws(RuntimeError) -> (fd: Int32, port: Int) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        guard (0...65_535).contains(port), inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw RuntimeError(.httpServerFailure, "the HTTP listen address must be an IPv4 address and a port 0-65535",
                               context: ["host": host, "port": String(port)])
        }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw failure("cannot create a socket", host, port) }
        var yes: Int32 = 1
        // Restarts must be able to bind at once, while old connections sit in TIME_WAIT.
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let error = failure("cannot bind the HTTP port (in use, or not allowed?)", host, port)
            close(fd)
            throw error
        }
        guard listen(fd, backlog) == 0 else {
            let error = failure("cannot listen on the HTTP port", host, port)
            close(fd)
            throw error
        }
        configure(fd)
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: actual.sin_port)))
    }

    /// Makes a descriptor non-blocking and close-on-exec.
    static func configure(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// Waits until one of `fds` is readable (or hung up), for at most `timeout`. Returns the
    /// readable ones, empty on timeout, nil on error.
    static func waitReadable(_ fds: [Int32], timeout: Duration) -> [Int32]? {
        var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let result = poll(&polls, nfds_t(polls.count), milliseconds(timeout))
        if result < 0 { return errno == EINTR ? [] : nil }
        return polls.filter { $0.revents != 0 }.map(\.fd)
    }

    /// Waits until `fd` can be written, for at most `timeout`.
    static func waitWritable(_ fd: Int32, timeout: Duration) -> Wait {
        var polls = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)]
        let result = poll(&polls, 1, milliseconds(timeout))
        if result < 0 { return errno == EINTR ? .timedOut : .failed }
        return result == 0 ? .timedOut : .ready
    }

    /// Reads what is available into `buffer`: the count, 0 at end of stream, nil if nothing is
    /// available yet, -1 on error.
    static func read(_ fd: Int32, into buffer: inout [UInt8]) -> Int? {
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count >= 0 { return count }
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? nil : -1
    }

    /// Writes all of `bytes` before `deadline`. False if the peer went away or was too slow.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], deadline: ContinuousClock.Instant) -> Bool {
        var written = 0
        while written < bytes.count {
            // MSG_NOSIGNAL: a client that hung up must give EPIPE, not kill the process with SIGPIPE.
            let count = bytes[written...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                written += count
                continue
            }
            guard count < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { return false }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero, waitWritable(fd, timeout: left) == .ready else { return false }
        }
        return true
    }

    /// Poll's timeout in whole milliseconds, rounded up so a short wait is not a busy loop.
    private static func milliseconds(_ duration: Duration) -> Int32 {
        let value = (duration / .milliseconds(1)).rounded(.up)
        return Int32(max(0, min(value, Double(Int32.max))))
    }

    private static func failure(_ message: String, _ host: String, _ port: Int) -> RuntimeError {
        RuntimeError(.httpServerFailure, message, context: ["host": host, "port": String(port), "errno": String(errno)])
    }
}
