import Foundation
import Synchronization

/// Matches schema patterns, compiling each once per process: the simple patterns the
/// schemas use run as a `CompiledPattern` (no Foundation, no allocation), any other through
/// `NSRegularExpression`. A pattern that does not compile matches nothing (the schema
/// tests compile every pattern).
enum PatternMatcher {
    private enum Matcher: @unchecked Sendable {
        // NSRegularExpression is immutable once made and documented as thread-safe.
        case simple(CompiledPattern)
        case regex(NSRegularExpression)
        case invalid
    }

    private static let cache = Mutex<[String: Matcher]>([:])

    /// Whether the whole of `text` matches `pattern`.
    static func matches(_ text: String, pattern: String) -> Bool {
        switch matcher(for: pattern) {
        case let .simple(compiled): return compiled.matches(text)
        case let .regex(expression): return regexMatches(text, expression)
        case .invalid: return false
        }
    }

    /// Whether the whole of `text` matches `pattern`, asked of `NSRegularExpression` alone
    /// (the reference the compiled patterns are tested against).
    static func regexMatches(_ text: String, pattern: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
        return regexMatches(text, expression)
    }

    /// Whether `pattern` compiles.
    static func compiles(_ pattern: String) -> Bool {
        (try? NSRegularExpression(pattern: pattern)) != nil
    }

    /// Whether `pattern` runs without `NSRegularExpression`.
    static func isSimple(_ pattern: String) -> Bool {
        if case .simple = matcher(for: pattern) { return true }
        return false
    }

    private static func matcher(for pattern: String) -> Matcher {
        cache.withLock { compiled in
            if let cached = compiled[pattern] { return cached }
            let made: Matcher = if let simple = CompiledPattern(pattern), compiles(pattern) {
                .simple(simple)
            } else if let expression = try? NSRegularExpression(pattern: pattern) {
                .regex(expression)
            } else {
                .invalid
            }
            compiled[pattern] = made
            return made
        }
    }

    private static func regexMatches(_ text: String, _ expression: NSRegularExpression) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        guard let match = expression.firstMatch(in: text, options: [], range: range) else { return false }
        return match.range == range
    }
}
