import Foundation

/// Loads a flow's JSON rules file into its `FlowRules` type.
///
/// Guarantees: no path gives the defaults; any other failure is one `.invalidRulesFile` error
/// whose message names the file and, for a decoding failure, the JSON field (`lines[0].sku`),
/// with both also in the context under `path` and `field`. File contents are never quoted.
public enum RulesFile {
    /// The rules at `path`, or `Rules.defaults` if `path` is nil.
    public static func load<Rules: FlowRules>(_ type: Rules.Type = Rules.self, from path: String?) throws(RuntimeError) -> Rules {
        guard let path else { return Rules.defaults }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuntimeError(.invalidRulesFile, "cannot read the flow rules file '\(path)': \(whyUnreadable(path))",
                               context: ["path": path])
        }
        return try decode(type, from: data, path: path)
    }

    /// The rules decoded from `data`; `path` is only used in error messages.
    public static func decode<Rules: FlowRules>(_ type: Rules.Type = Rules.self, from data: Data, path: String) throws(RuntimeError) -> Rules {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            let (field, problem) = describe(error)
            var context = ["path": path]
            if let field { context["field"] = field }
            let location = field.map { " at field '\($0)'" } ?? ""
            throw RuntimeError(.invalidRulesFile, "the flow rules file '\(path)' is invalid\(location): \(problem)",
                               context: context)
        } catch {
            throw RuntimeError(.invalidRulesFile, "the flow rules file '\(path)' could not be decoded",
                               context: ["path": path])
        }
    }

    /// The JSON field (nil for the whole document) and what is wrong with it.
    private static func describe(_ error: DecodingError) -> (field: String?, problem: String) {
        switch error {
        case .keyNotFound(let key, let context):
            return (path(context.codingPath + [key]), "missing; this field has no default")
        case .typeMismatch(let type, let context):
            return (path(context.codingPath), "expected \(name(of: type))")
        case .valueNotFound(let type, let context):
            return (path(context.codingPath), "null, expected \(name(of: type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                // The parser's own words give the line and column of the syntax error.
                let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                return (nil, "not valid JSON" + (detail.map { " (\($0))" } ?? ""))
            }
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return (nil, "could not be decoded")
        }
    }

    /// `tolerances.rounding`, `lines[2].sku`: the path as a person would write it.
    private static func path(_ keys: [any CodingKey]) -> String? {
        guard !keys.isEmpty else { return nil }
        var out = ""
        for key in keys {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += (out.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return out
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array"
                : String(describing: type).hasPrefix("Dictionary") ? "an object" : String(describing: type)
        }
    }

    private static func whyUnreadable(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "it is a directory" }
        return "permission denied or I/O error"
    }
}
