/// Rows of text printed in aligned columns, headers in capitals; the last column is not padded.
struct Table {
    let headers: [String]
    private(set) var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    mutating func add(_ cells: [String]) {
        rows.append(cells)
    }

    /// The lines, indented by `indent` spaces.
    func lines(indent: Int = 0) -> [String] {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        let margin = String(repeating: " ", count: indent)
        return all.map { row in
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            return margin + cells.joined(separator: "  ")
        }
    }

    /// Prints the table on standard output.
    func print(to output: Output, indent: Int = 0) {
        for line in lines(indent: indent) { output.line(line) }
    }
}

/// Human forms of a few values.
enum Format {
    /// "7d", "36h", "15m", "forever" for a retention in milliseconds.
    static func retention(_ milliseconds: Int64) -> String {
        guard milliseconds >= 0 else { return "forever" }
        let minutes = milliseconds / 60_000
        if minutes % (24 * 60) == 0 { return "\(minutes / (24 * 60))d" }
        if minutes % 60 == 0 { return "\(minutes / 60)h" }
        if milliseconds % 60_000 == 0 { return "\(minutes)m" }
        return "\(milliseconds)ms"
    }

    /// "1 record", "2 records".
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// A header or key value shown on one line: control characters escaped, at most `limit` characters.
    static func oneLine(_ text: String, limit: Int = 200) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += scalar.value < 0x20 ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }
        }
        return out.count > limit ? String(out.prefix(limit)) + "…" : out
    }
}
