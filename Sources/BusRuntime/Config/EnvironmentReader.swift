import Foundation

/// Reads variables one by one and collects every problem instead of stopping at the first.
struct EnvironmentReader {
    struct Problem: Sendable, Hashable {
        let variable: String
        let reason: String
    }

    private let environment: [String: String]
    private(set) var problems: [Problem] = []

    init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// The parsed value, `fallback` when unset, or `fallback` plus a recorded problem when bad.
    mutating func read<Value>(
        _ variable: String, default fallback: Value, parse: (String) -> Result<Value, Reason>
    ) -> Value {
        guard let raw = environment[variable] else { return fallback }
        switch parse(raw) {
        case .success(let value): return value
        case .failure(let reason):
            problems.append(Problem(variable: variable, reason: "\(reason.text) (got \(Self.quote(raw)))"))
            return fallback
        }
    }

    /// Why a value was refused, in words an operator can act on.
    struct Reason: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    static func groupID(_ raw: String) -> Result<String, Reason> {
        let value = raw.trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return .failure(Reason("empty; unset it to use the worker's name")) }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(Reason("contains control characters"))
        }
        if value.utf8.count > 255 { return .failure(Reason("longer than 255 bytes")) }
        return .success(value)
    }

    static func port(_ raw: String) -> Result<Int, Reason> {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, value.allSatisfy(\.isASCII), value.allSatisfy(\.isNumber),
              let port = Int(value)
        else { return .failure(Reason("not a port number")) }
        guard port <= 65_535 else { return .failure(Reason("not a port number: above 65535")) }
        return .success(port)
    }

    /// A whole number from 1 to `maximum`.
    static func count(_ raw: String, atMost maximum: Int) -> Result<Int, Reason> {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(value) else {
            return .failure(Reason("not a whole number; unset it for one per core"))
        }
        guard count >= 1 else { return .failure(Reason("must be at least 1")) }
        guard count <= maximum else { return .failure(Reason("must be at most \(maximum)")) }
        return .success(count)
    }

    static func logLevel(_ raw: String) -> Result<LogLevel, Reason> {
        guard let level = LogLevel(name: raw.trimmingCharacters(in: .whitespaces)) else {
            return .failure(Reason("not one of debug, info, warn, error"))
        }
        return .success(level)
    }

    static func positiveSeconds(_ raw: String) -> Result<Duration, Reason> {
        let value = raw.trimmingCharacters(in: .whitespaces)
        // Digits and one optional dot only: Double() would also take "inf", "nan" and "1e3".
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let seconds = Double(value), seconds.isFinite
        else { return .failure(Reason("not a number of seconds")) }
        guard seconds > 0 else { return .failure(Reason("must be more than 0 seconds")) }
        guard seconds <= 3_600 else { return .failure(Reason("must be at most 3600 seconds")) }
        return .success(.nanoseconds(Int64((seconds * 1e9).rounded())))
    }

    static func readableFile(_ raw: String) -> Result<String?, Reason> {
        if raw.isEmpty { return .failure(Reason("empty; unset it to use the flow's default rules")) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: raw, isDirectory: &isDirectory) else {
            return .failure(Reason("no such file"))
        }
        if isDirectory.boolValue { return .failure(Reason("a directory, not a JSON rules file")) }
        guard FileManager.default.isReadableFile(atPath: raw) else {
            return .failure(Reason("the file is not readable by this process"))
        }
        return .success(raw)
    }

    /// The raw value in quotes, cut at 64 characters and with control characters escaped, so a
    /// long value cannot flood the message and a stray newline cannot break a log line.
    static func quote(_ raw: String) -> String {
        let limit = 64
        var shown = ""
        for scalar in raw.unicodeScalars.prefix(limit) {
            shown += scalar.properties.generalCategory == .control
                ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return "'\(shown)\(raw.unicodeScalars.count > limit ? "…" : "")'"
    }
}
