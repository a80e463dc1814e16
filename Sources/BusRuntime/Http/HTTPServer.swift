import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 server on POSIX sockets for `/metrics` and health probes.
///
/// Guarantees: each connection is served on its own thread with a whole-request deadline, so
/// a slow client never blocks others; at most `maxConnections` are served at once (beyond
/// that a connection that has sent nothing yet is closed to make room, else the newcomer gets
/// an immediate 503); malformed heads get 400, oversized ones 414/431 without being buffered;
/// every response closes the connection. `stop()` stops accepting, interrupts open
/// connections and waits for them. Call it before releasing the server: its threads keep it alive.
public final class HTTPServer: Sendable {
    /// The bound port: the configured one, or the kernel's pick when it was 0.
    public let port: Int

    private struct State {
        var connections: Set<Int32> = []
        /// Connections that have sent at least one byte.
        var started: Set<Int32> = []
        /// Idle connections shut down to make room; they leave the set once their thread ends.
        var evicted: Set<Int32> = []
        var stopping = false
    }

    private let configuration: HTTPServerConfiguration
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let listener: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let state = Mutex(State())
    private let acceptLoopDone = DispatchSemaphore(value: 0)
    private let connectionsDone = DispatchGroup()

    /// Binds, listens and starts serving. Throws `.httpServerFailure` if the address is bad or
    /// the port cannot be bound.
    public static func start(
        _ configuration: HTTPServerConfiguration, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse
    ) throws(RuntimeError) -> HTTPServer {
        let (listener, port) = try Socket.openListener(host: configuration.host, port: configuration.port)
        var wake: [Int32] = [-1, -1]
        guard pipe(&wake) == 0 else {
            close(listener)
            throw RuntimeError(.httpServerFailure, "cannot create the HTTP server's wake-up pipe", context: ["errno": String(errno)])
        }
        wake.forEach(Socket.configure)
        let server = HTTPServer(
            configuration: configuration, handler: handler, listener: listener, port: port, wake: (wake[0], wake[1]))
        server.spawn(name: "bus-http-accept") { server.acceptLoop() }
        return server
    }

    private init(
        configuration: HTTPServerConfiguration, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse,
        listener: Int32, port: Int, wake: (read: Int32, write: Int32)
    ) {
        self.configuration = configuration
        self.handler = handler
        self.listener = listener
        self.port = port
        wakeRead = wake.read
        wakeWrite = wake.write
    }

    /// Stops accepting, interrupts open connections and waits up to `timeout` for them to end.
    /// Returns true if every connection ended in time. Safe to call more than once.
    @discardableResult
    public func stop(timeout: Duration = .seconds(5)) -> Bool {
        let first = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        if first {
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
            acceptLoopDone.wait()
            close(listener)
            close(wakeRead)
            close(wakeWrite)
            // Under the lock, so no descriptor is closed (and its number reused) meanwhile.
            state.withLock { state in
                for fd in state.connections { shutdown(fd, Int32(SHUT_RDWR)) }
            }
        }
        let nanoseconds = max(0, min(timeout / .nanoseconds(1), Double(Int.max / 2)))
        return connectionsDone.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success
    }

    /// How many connections are being served right now.
    public var openConnections: Int { state.withLock { $0.connections.count } }

    private func acceptLoop() {
        defer { acceptLoopDone.signal() }
        while !state.withLock({ $0.stopping }) {
            guard let ready = Socket.waitReadable([listener, wakeRead], timeout: .seconds(60)) else { return }
            if ready.contains(wakeRead) { return }
            if ready.contains(listener) { acceptPending() }
        }
    }

    private func acceptPending() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                // Out of descriptors: the listener stays readable, so pause instead of spinning.
                if errno == EMFILE || errno == ENFILE { usleep(100_000) }
                return
            }
            Socket.configure(client)
            let admitted = state.withLock { state -> Bool in
                guard !state.stopping else { return false }
                if state.connections.count - state.evicted.count >= configuration.maxConnections {
                    // At the cap, a connection that has sent nothing yet gives way: idle
                    // connections (a load balancer's pre-opened ones, a stuck client) must not
                    // turn the orchestrator's probes into 503s. Its read ends at once and its
                    // thread closes it; until then it is counted as gone.
                    guard let idle = state.connections.subtracting(state.started).subtracting(state.evicted).first else { return false }
                    state.evicted.insert(idle)
                    shutdown(idle, Int32(SHUT_RDWR))
                }
                state.connections.insert(client)
                return true
            }
            guard admitted else {
                refuse(client)
                continue
            }
            connectionsDone.enter()
            spawn(name: "bus-http-connection") { [self] in
                HTTPConnection(fd: client, configuration: configuration, handler: handler) { [self] in
                    state.withLock { _ = $0.started.insert(client) }
                }.serve()
                state.withLock { state in
                    state.connections.remove(client)
                    state.started.remove(client)
                    state.evicted.remove(client)
                    close(client)
                }
                connectionsDone.leave()
            }
        }
    }

    /// Over the limit: one non-blocking attempt to say so, then close; never waits on the client.
    private func refuse(_ client: Int32) {
        let bytes = HTTPResponse.text(503, "too many connections, retry later\n").serialized(includeBody: true)
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(client)
    }

    private func spawn(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = 1 << 20  // the work is small; 64 connections need not reserve 8 MiB each
        thread.start()
    }
}
