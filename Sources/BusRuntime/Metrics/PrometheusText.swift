/// Text exposition format 0.0.4: escaping and number formatting, shared by all metric kinds.
enum PrometheusText {
    /// The content type a scraper expects for this format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    static func isValidMetricName(_ name: String) -> Bool {
        isValidIdentifier(name, allowColon: true)
    }

    /// Label names: `[a-zA-Z_][a-zA-Z0-9_]*`, and not `__…`, which Prometheus reserves.
    static func isValidLabelName(_ name: String) -> Bool {
        isValidIdentifier(name, allowColon: false) && !name.hasPrefix("__")
    }

    private static func isValidIdentifier(_ name: String, allowColon: Bool) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        func isLetter(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || (allowColon && c == ":")
        }
        return isLetter(first) && name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// `# HELP` text: backslash and line feed are escaped.
    static func escapeHelp(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Label values: backslash, double quote and line feed are escaped.
    static func escapeLabelValue(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Integers without a fraction (`3`, not `3.0`), others in Swift's shortest round-trip form,
    /// and `+Inf`, `-Inf`, `NaN` as the format spells them.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// `{a="x",b="y"}`, or nothing when there are no labels.
    static func labelSet(_ names: [String], _ values: [String]) -> String {
        guard !names.isEmpty else { return "" }
        let pairs = zip(names, values).map { "\($0)=\"\(escapeLabelValue($1))\"" }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    /// The `# HELP` and `# TYPE` lines of a family.
    static func header(name: String, help: String, type: String) -> String {
        "# HELP \(name) \(escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }

    /// Orders series by their label values, element by element, so output is stable.
    static func precedes(_ lhs: [String], _ rhs: [String]) -> Bool {
        lhs.lexicographicallyPrecedes(rhs)
    }
}
