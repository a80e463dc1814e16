/// The head of an HTTP/1.x request, as parsed by the server. The body is never read: the
/// server's routes take none, and it closes the connection after each response.
public struct HTTPRequest: Sendable, Hashable {
    /// The method token, case-sensitive as HTTP defines it (`GET`, `HEAD`, …).
    public var method: String
    /// The request target as sent, e.g. `/metrics?name=x`.
    public var target: String
    /// The target's path, without the query: what routes match on.
    public var path: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var version: String
    /// Header fields in order; names as sent (compare case-insensitively with `header(_:)`).
    public var headers: [Header]

    /// One header field.
    public struct Header: Sendable, Hashable {
        /// The field name.
        public var name: String
        /// The field value, without surrounding whitespace.
        public var value: String

        /// A header field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A request head; `path` is derived from `target`.
    public init(method: String, target: String, version: String = "HTTP/1.1", headers: [Header] = []) {
        self.method = method
        self.target = target
        self.path = String(target.prefix { $0 != "?" })
        self.version = version
        self.headers = headers
    }

    /// The value of the first header named `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
