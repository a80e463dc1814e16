/// Limits and address of the operations HTTP server. The defaults suit `/metrics` and probes.
public struct HTTPServerConfiguration: Sendable, Hashable {
    /// The IPv4 address to bind; `0.0.0.0` (all interfaces) by default, `127.0.0.1` in tests.
    public var host: String
    /// The TCP port; 0 lets the kernel pick a free one (read it from `HTTPServer.port`).
    public var port: Int
    /// How long a client has to send its whole request head; a slow client is answered 408.
    public var requestTimeout: Duration
    /// How long a client has to take the response.
    public var writeTimeout: Duration
    /// Connections served at once; beyond that a client gets an immediate 503 and is closed.
    public var maxConnections: Int
    /// The longest request line accepted; longer ones get 414.
    public var maxRequestLineBytes: Int
    /// The largest header section accepted; larger ones get 431.
    public var maxHeaderBytes: Int
    /// After answering, how long unread request bytes are drained (and discarded) before
    /// closing, so the client reads the answer instead of a connection reset.
    public var lingerTimeout: Duration

    /// A configuration; every limit has a default.
    public init(
        host: String = "0.0.0.0", port: Int, requestTimeout: Duration = .seconds(5), writeTimeout: Duration = .seconds(5),
        maxConnections: Int = 64, maxRequestLineBytes: Int = 8_192, maxHeaderBytes: Int = 8_192,
        lingerTimeout: Duration = .seconds(1)
    ) {
        self.host = host
        self.port = port
        self.requestTimeout = requestTimeout
        self.writeTimeout = writeTimeout
        self.maxConnections = maxConnections
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.lingerTimeout = lingerTimeout
    }
}
