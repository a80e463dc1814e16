/// A schema pattern of the simple form the bus's schemas use (`^[A-Z0-9][A-Z0-9._-]{0,19}$`:
/// anchors, literals, character classes with ranges, negation and `\s`, quantifiers `?` `*`
/// `+` `{m}` `{m,}` `{m,n}`), matched without Foundation and without allocating.
///
/// Guarantees: for the patterns it accepts, the same answers as `NSRegularExpression`
/// (ICU) asked for a match of the whole text (the schema tests compare the two). Anything
/// else (groups, alternation, other escapes) does not compile, and `PatternMatcher` falls
/// back to `NSRegularExpression`.
struct CompiledPattern: Sendable {
    /// One character class (or literal) repeated between `minimum` and `maximum` times.
    struct Element: Sendable {
        var ranges: [ClosedRange<UInt32>]
        var matchesWhitespace: Bool
        var negated: Bool
        var minimum: Int
        var maximum: Int

        func accepts(_ scalar: Unicode.Scalar) -> Bool {
            let inside = ranges.contains { $0.contains(scalar.value) } || (matchesWhitespace && CompiledPattern.isWhitespace(scalar))
            return inside != negated
        }
    }

    let elements: [Element]

    /// The pattern compiled, or nil when it uses anything beyond the simple form.
    init?(_ pattern: String) {
        var scalars = Array(pattern.unicodeScalars)[...]
        guard scalars.first == "^", scalars.last == "$" else { return nil }
        scalars = scalars.dropFirst().dropLast()
        var elements: [Element] = []
        while let first = scalars.first {
            scalars = scalars.dropFirst()
            var element: Element
            switch first {
            case "[":
                guard let parsed = Self.characterClass(&scalars) else { return nil }
                element = parsed
            case "\\":
                guard let escaped = scalars.first else { return nil }
                scalars = scalars.dropFirst()
                if escaped == "s" {
                    element = Element(ranges: [], matchesWhitespace: true, negated: false, minimum: 1, maximum: 1)
                } else if Self.literalEscapes.contains(escaped) {
                    element = Element(ranges: [escaped.value...escaped.value], matchesWhitespace: false, negated: false, minimum: 1, maximum: 1)
                } else {
                    return nil
                }
            case "(", ")", "|", ".", "*", "+", "?", "{", "}", "^", "$", "]":
                return nil
            default:
                element = Element(ranges: [first.value...first.value], matchesWhitespace: false, negated: false, minimum: 1, maximum: 1)
            }
            guard Self.quantifier(&scalars, into: &element) else { return nil }
            elements.append(element)
        }
        self.elements = elements
    }

    /// Whether the whole of `text` matches.
    func matches(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        return match(from: 0, at: scalars.startIndex, in: scalars)
    }

    private func match(from elementIndex: Int, at start: String.UnicodeScalarView.Index, in scalars: String.UnicodeScalarView) -> Bool {
        guard elementIndex < elements.count else { return start == scalars.endIndex }
        let element = elements[elementIndex]
        var position = start
        var count = 0
        while count < element.maximum, position < scalars.endIndex, element.accepts(scalars[position]) {
            position = scalars.index(after: position)
            count += 1
        }
        // Greedy, then give back one at a time, as a backtracking regex engine does.
        while count >= element.minimum {
            if match(from: elementIndex + 1, at: position, in: scalars) { return true }
            guard count > element.minimum else { return false }
            position = scalars.index(before: position)
            count -= 1
        }
        return false
    }

    /// ICU's `\s`: the Unicode White_Space property (tab to carriage return including the
    /// vertical tab, space, U+0085, no-break and other Unicode spaces, line and paragraph separators).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    private static let literalEscapes: Set<Unicode.Scalar> = [".", "+", "-", "*", "?", "/", "\\", "@", "(", ")", "[", "]", "{", "}", "^", "$", "|"]

    private static func characterClass(_ scalars: inout ArraySlice<Unicode.Scalar>) -> Element? {
        var element = Element(ranges: [], matchesWhitespace: false, negated: false, minimum: 1, maximum: 1)
        if scalars.first == "^" { element.negated = true; scalars = scalars.dropFirst() }
        var previous: Unicode.Scalar?
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            switch scalar {
            case "]":
                guard !element.ranges.isEmpty || element.matchesWhitespace else { return nil }
                return element
            case "\\":
                guard let escaped = scalars.first else { return nil }
                scalars = scalars.dropFirst()
                if escaped == "s" {
                    element.matchesWhitespace = true
                    previous = nil
                } else if literalEscapes.contains(escaped) {
                    element.ranges.append(escaped.value...escaped.value)
                    previous = escaped
                } else {
                    return nil
                }
            case "-" where previous != nil && scalars.first != "]" && scalars.first != nil:
                guard let low = previous, let high = scalars.first, high != "\\", high != "[", low.value <= high.value else { return nil }
                scalars = scalars.dropFirst()
                element.ranges[element.ranges.count - 1] = low.value...high.value
                previous = nil
            case "[":
                return nil
            default:
                element.ranges.append(scalar.value...scalar.value)
                previous = scalar
            }
        }
        return nil
    }

    private static func quantifier(_ scalars: inout ArraySlice<Unicode.Scalar>, into element: inout Element) -> Bool {
        switch scalars.first {
        case "?": element.minimum = 0; element.maximum = 1
        case "*": element.minimum = 0; element.maximum = .max
        case "+": element.minimum = 1; element.maximum = .max
        case "{":
            guard let close = scalars.firstIndex(of: "}") else { return false }
            let body = String(String.UnicodeScalarView(scalars[scalars.index(after: scalars.startIndex)..<close]))
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
            guard let minimum = parts.first.flatMap({ Int($0) }), parts.count <= 2 else { return false }
            let maximum = parts.count == 1 ? minimum : (parts[1].isEmpty ? Int.max : Int(parts[1]) ?? -1)
            guard maximum >= minimum else { return false }
            element.minimum = minimum
            element.maximum = maximum
            scalars = scalars[scalars.index(after: close)...]
            return !["?", "*", "+", "{"].contains(scalars.first)
        default: return true
        }
        scalars = scalars.dropFirst()
        // A lazy or possessive suffix changes meaning: leave such patterns to ICU.
        return !["?", "*", "+", "{"].contains(scalars.first)
    }
}
