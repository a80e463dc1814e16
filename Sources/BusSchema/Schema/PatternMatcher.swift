import Foundation
import Synchronization

/// Matches schema patterns, compiling each regular expression once per process.
/// A pattern that does not compile matches nothing (the schema tests compile every pattern).
enum PatternMatcher {
    private static let cache = Mutex<[String: NSRegularExpression]>([:])

    /// Whether the whole of `text` matches `pattern`.
    static func matches(_ text: String, pattern: String) -> Bool {
        cache.withLock { compiled in
            let expression: NSRegularExpression
            if let cached = compiled[pattern] {
                expression = cached
            } else {
                guard let made = try? NSRegularExpression(pattern: pattern) else { return false }
                compiled[pattern] = made
                expression = made
            }
            let range = NSRange(text.startIndex..<text.endIndex, in: text)
            guard let match = expression.firstMatch(in: text, options: [], range: range) else { return false }
            return match.range == range
        }
    }

    /// Whether `pattern` compiles.
    static func compiles(_ pattern: String) -> Bool {
        (try? NSRegularExpression(pattern: pattern)) != nil
    }
}
