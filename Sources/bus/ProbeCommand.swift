import BusRuntime
import Foundation

/// `bus probe [URL]`: a container health check that needs no shell, curl or wget.
struct ProbeCommand: BusCommand {
    let name = "probe"
    let summary = "exit 0 when an HTTP URL answers 2xx within a timeout (container health checks)"
    let usage = """
    usage:
      bus probe [URL] [--timeout SECONDS]
                       GET URL once (plain http://HOST[:PORT][/PATH]); exit 0 on a 2xx answer, 1 on any other
                       status, no answer or no connection within the timeout, 2 for wrong usage. Redirects are
                       not followed. Meant as the exec-form HEALTHCHECK of the image: no shell is needed.
      URL              default http://127.0.0.1:$BUS_HTTP_PORT/readyz (port 8080 when BUS_HTTP_PORT is unset),
                       the worker's own readiness
      --timeout S      the whole probe's deadline, connection included (default 2; fractions allowed)
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: ["timeout"])
        let positionals = try parsed.positionals(["URL"], required: 0)
        let timeout = try Self.timeout(parsed.options["timeout"])
        let target = try ProbeTarget(positionals.first ?? Self.defaultURL(ProcessInfo.processInfo.environment))
        switch HTTPProbe.get(host: target.host, port: target.port, path: target.path, timeout: timeout) {
        case .status(let code) where (200..<300).contains(code):
            output.line("\(target.text): \(code)")
            return .success
        case .status(let code):
            output.error("bus probe: \(target.text) answered \(code)")
            return .failure
        case .failed(let reason):
            output.error("bus probe: \(target.text): \(reason)")
            return .failure
        }
    }

    /// The worker's own readiness URL, on the port its environment gives it.
    static func defaultURL(_ environment: [String: String]) -> String {
        let port = environment[WorkerConfig.httpPortVariable].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            ?? WorkerConfig.defaultHTTPPort
        return "http://127.0.0.1:\(port)/readyz"
    }

    private static func timeout(_ text: String?) throws(UsageError) -> Duration {
        guard let text else { return .seconds(2) }
        guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= 3_600 else {
            throw UsageError(message: "--timeout must be a number of seconds above 0 and at most 3600")
        }
        return .milliseconds(Int64((seconds * 1_000).rounded(.up)))
    }
}

/// A parsed `http://HOST[:PORT][/PATH]`.
struct ProbeTarget {
    let host: String
    let port: Int
    let path: String
    let text: String

    init(_ text: String) throws(UsageError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw UsageError(message: "'\(text)' is not a URL (http://HOST[:PORT][/PATH])")
        }
        guard scheme == "http" else {
            throw UsageError(message: "only http:// URLs are probed (got \(scheme)://): the worker's operations port is plain HTTP")
        }
        guard var host = components.host, !host.isEmpty else { throw UsageError(message: "the URL '\(text)' has no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? 80
        guard (1...65_535).contains(port) else { throw UsageError(message: "the URL's port must be 1-65535") }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        self.host = host
        self.port = port
        self.path = path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        self.text = text
    }
}
