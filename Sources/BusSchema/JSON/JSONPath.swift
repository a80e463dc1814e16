/// A location in a JSON document, written as a JSONPath: `$`, `$.lines[2].quantity`,
/// `$.labels['fr-BE']`. Value type; appending returns a new path.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// The path as text, starting with `$`.
    public private(set) var description: String

    /// The document root, `$`.
    public static let root = JSONPath(description: "$")

    private init(description: String) { self.description = description }

    /// The member `key` of the value at this path.
    public func key(_ key: String) -> JSONPath {
        if Self.isPlain(key) { return JSONPath(description: description + "." + key) }
        let quoted = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return JSONPath(description: description + "['" + quoted + "']")
    }

    /// The element `index` of the array at this path.
    public func index(_ index: Int) -> JSONPath {
        JSONPath(description: description + "[\(index)]")
    }

    /// `$.a.b` for `root.keys("a", "b")`.
    public func keys(_ keys: String...) -> JSONPath {
        keys.reduce(self) { $0.key($1) }
    }

    private static func isPlain(_ key: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        }
        guard let first = key.unicodeScalars.first, isLetter(first) else { return false }
        return key.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }
}
