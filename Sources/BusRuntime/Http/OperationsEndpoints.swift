/// The worker's operations routes: `/metrics`, `/healthz` and `/readyz`.
///
/// Guarantees: `GET` and `HEAD` only (anything else 405 with `Allow`), unknown paths 404,
/// the query string ignored; `/healthz` is 200 exactly while `liveness` says the loop is alive,
/// `/readyz` is 200 exactly while `readiness` says ready, else 503 with the reason.
public struct OperationsEndpoints: Sendable {
    private let metrics: MetricsRegistry
    private let liveness: @Sendable () -> Bool
    private let readiness: @Sendable () -> Readiness

    /// Routes over a metrics registry and two probes, called on every request (keep them cheap).
    public init(
        metrics: MetricsRegistry, liveness: @escaping @Sendable () -> Bool,
        readiness: @escaping @Sendable () -> Readiness
    ) {
        self.metrics = metrics
        self.liveness = liveness
        self.readiness = readiness
    }

    /// The answer to one request; pass it to `HTTPServer.start` as the handler.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = HTTPResponse.text(405, "only GET and HEAD are allowed\n")
            response.headers.append(("Allow", "GET, HEAD"))
            return response
        }
        switch request.path {
        case "/metrics":
            return .text(200, metrics.render(), contentType: MetricsRegistry.contentType)
        case "/healthz":
            return liveness() ? .text(200, "ok\n") : .text(503, "the processing loop is not alive\n")
        case "/readyz":
            switch readiness() {
            case .ready: return .text(200, "ready\n")
            case .notReady(let reason): return .text(503, "not ready: \(Self.oneLine(reason))\n")
            }
        default:
            return .text(404, "not found; try /metrics, /healthz or /readyz\n")
        }
    }

    /// A reason on one short line: no line breaks, at most 200 characters.
    private static func oneLine(_ text: String) -> String {
        let flat = String(text.map { $0.isNewline ? " " : $0 })
        return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
    }
}
