#if canImport(Glibc)
import Glibc
private let systemConnect = Glibc.connect
private let systemListen = Glibc.listen
#elseif canImport(Darwin)
import Darwin
private let systemConnect = Darwin.connect
private let systemListen = Darwin.listen
#endif
import Foundation
import Synchronization

/// Forwards TCP connections from a fixed loopback port to the embedded cluster's bootstrap
/// broker, so that a Kafka client types the usual `localhost:9092`.
///
/// Why forwarding the bootstrap port is enough: a Kafka client uses its bootstrap address
/// only to ask for metadata. The answer lists every broker at the address that broker
/// advertises, and from then on the client talks to those addresses directly. The mock
/// cluster binds random ports on 127.0.0.1 and advertises exactly those; so a client
/// bootstraps here, learns the brokers at 127.0.0.1:<random>, and connects to them itself.
/// Only its bootstrap connection passes through this bridge. It follows that clients must
/// run on this machine (the advertised addresses are loopback), as for any `bus dev` use.
///
/// One thread accepts, one thread per connection copies both ways with `poll`; `stop()`
/// wakes them all through a pipe and waits for them.
final class PortBridge: @unchecked Sendable {
    /// The port listened on (the one asked for, or the kernel's pick for 0).
    let port: Int
    private let target: (host: String, port: Int)
    private let listeners: [Int32]
    private let wake: (read: Int32, write: Int32)
    private let running = Mutex<Int>(0)
    private let finished = DispatchSemaphore(value: 0)

    /// Listens on 127.0.0.1:`port`, and on [::1]:`port` where IPv6 loopback exists (clients
    /// resolving `localhost` may try it first).
    init(port: Int, target: (host: String, port: Int)) throws {
        var fds: [Int32] = []
        let v4 = try Self.listen(family: AF_INET, port: port)
        fds.append(v4.fd)
        if let v6 = try? Self.listen(family: AF_INET6, port: v4.port) { fds.append(v6.fd) }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            fds.forEach { _ = close($0) }
            throw CommandFailure("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        self.port = v4.port
        self.target = target
        listeners = fds
        wake = (pipeFDs[0], pipeFDs[1])
    }

    deinit {
        (listeners + [wake.read, wake.write]).forEach { _ = close($0) }
    }

    /// Starts accepting connections.
    func start() {
        spawn { [self] in acceptLoop() }
    }

    /// Stops accepting, closes every forwarded connection and waits (at most `timeout`) for
    /// the threads to end.
    func stop(timeout: Duration = .seconds(5)) {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
        let deadline = ContinuousClock.now + timeout
        while running.withLock({ $0 }) > 0, ContinuousClock.now < deadline {
            _ = finished.wait(timeout: .now() + .milliseconds(100))
        }
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        running.withLock { $0 += 1 }
        let thread = Thread { [self] in
            body()
            running.withLock { $0 -= 1 }
            finished.signal()
        }
        thread.name = "bus-dev-bridge"
        thread.start()
    }

    private func acceptLoop() {
        var fds = (listeners + [wake.read]).map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while true {
            guard poll(&fds, nfds_t(fds.count), -1) >= 0 || errno == EINTR else { return }
            if fds.last!.revents != 0 { return }
            for entry in fds.dropLast() where entry.revents & Int16(POLLIN) != 0 {
                let client = accept(entry.fd, nil, nil)
                guard client >= 0 else { continue }
                spawn { [self] in forward(client) }
            }
        }
    }

    /// Copies bytes both ways between `client` and a new connection to the target, until both
    /// sides have closed or the bridge stops. Each end's EOF is passed on as a half-close.
    private func forward(_ client: Int32) {
        defer { _ = close(client) }
        guard let upstream = Self.connect(to: target) else { return }
        defer { _ = close(upstream) }
        var open = [true, true]  // client → upstream, upstream → client
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while open[0] || open[1] {
            var fds = [
                pollfd(fd: open[0] ? client : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? upstream : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
            ]
            guard poll(&fds, 3, -1) >= 0 || errno == EINTR else { return }
            if fds[2].revents != 0 { return }
            for (direction, (from, to)) in [(client, upstream), (upstream, client)].enumerated()
            where open[direction] && fds[direction].revents != 0 {
                let count = recv(from, &buffer, buffer.count, 0)
                if count <= 0 {
                    if count < 0, errno == EINTR { continue }
                    open[direction] = false
                    _ = shutdown(to, Int32(SHUT_WR))
                    continue
                }
                guard Self.sendAll(to, buffer, count: count) else { return }
            }
        }
    }

    private static func sendAll(_ fd: Int32, _ buffer: [UInt8], count: Int) -> Bool {
        var sent = 0
        while sent < count {
            // MSG_NOSIGNAL: a peer that went away is an error here, not a SIGPIPE for the process.
            let result = buffer.withUnsafeBytes { send(fd, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
            if result < 0 {
                if errno == EINTR { continue }
                return false
            }
            sent += result
        }
        return true
    }

    private static func socketType() -> Int32 {
        #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }

    private static func connect(to target: (host: String, port: Int)) -> Int32? {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: target.port)).bigEndian
        guard inet_pton(AF_INET, target.host, &address.sin_addr) == 1 else { return nil }
        let fd = socket(AF_INET, socketType(), 0)
        guard fd >= 0 else { return nil }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            _ = close(fd)
            return nil
        }
        return fd
    }

    /// A listening loopback socket of `family` on `port`; returns it and the port bound.
    private static func listen(family: Int32, port: Int) throws -> (fd: Int32, port: Int) {
        let fd = socket(family, socketType(), 0)
        guard fd >= 0 else { throw CommandFailure("cannot create a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var bound: Int32
        if family == AF_INET6 {
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &yes, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
            address.sin6_addr = in6addr_loopback
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
            address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard bound == 0, systemListen(fd, 64) == 0 else {
            let code = errno
            _ = close(fd)
            let hint = code == EADDRINUSE ? " (another Kafka or `bus dev` running? pick another with --port)" : ""
            throw CommandFailure("cannot listen on port \(port): \(String(cString: strerror(code)))\(hint)")
        }
        var actual = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let actualPort = withUnsafePointer(to: &actual) { pointer -> UInt16 in
            family == AF_INET6
                ? pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
                : pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
        }
        return (fd, Int(UInt16(bigEndian: actualPort)))
    }
}
