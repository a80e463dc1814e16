/// Parses bytes into a `JSONValue` (RFC 8259), for any input without trapping.
///
/// Guarantees: invalid UTF-8, unpaired surrogates, control characters in strings,
/// duplicate keys, trailing content, documents deeper than `maximumDepth` or larger than
/// `maximumBytes` are all reported as a `SchemaError` with code `.undecodable` and a byte
/// offset; nothing in the input can crash the parser or make it recurse without bound.
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted.
    public var maximumDepth: Int
    /// The largest document accepted, in bytes.
    public var maximumBytes: Int

    /// A parser with limits suited to bus messages (64 levels, 1 MiB).
    public init(maximumDepth: Int = 64, maximumBytes: Int = 1 << 20) {
        self.maximumDepth = maximumDepth
        self.maximumBytes = maximumBytes
    }

    /// The document in `bytes`, or an `.undecodable` error saying where it went wrong.
    public func parse(_ bytes: some Collection<UInt8>) throws(SchemaError) -> JSONValue {
        guard bytes.count <= maximumBytes else {
            throw Self.failure("document larger than \(maximumBytes) bytes")
        }
        var reader = Reader(bytes: Array(bytes), maximumDepth: maximumDepth)
        do throws(ReaderError) {
            reader.skipWhitespace()
            let value = try reader.value(depth: 0)
            reader.skipWhitespace()
            guard reader.atEnd else { throw ReaderError(offset: reader.offset, detail: "unexpected content after the document") }
            return value
        } catch {
            throw Self.failure("\(error.detail) at byte \(error.offset)")
        }
    }

    private static func failure(_ detail: String) -> SchemaError {
        SchemaError(.undecodable, "the message is not well-formed JSON", problems: [
            ValidationProblem(JSONPath.root, .malformedJSON(detail: detail)),
        ])
    }
}

private struct ReaderError: Error {
    var offset: Int
    var detail: String
}

private struct Reader {
    let bytes: [UInt8]
    let maximumDepth: Int
    var offset = 0

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    var atEnd: Bool { offset >= bytes.count }
    var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { offset += 1 }
    }

    func fail(_ detail: String) -> ReaderError { ReaderError(offset: offset, detail: detail) }

    mutating func value(depth: Int) throws(ReaderError) -> JSONValue {
        guard let byte = current else { throw fail("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(ReaderError) {
        let expected = word.withUTF8Buffer { Array($0) }
        guard bytes.count - offset >= expected.count, Array(bytes[offset..<offset + expected.count]) == expected else {
            throw fail("invalid literal")
        }
        offset += expected.count
    }

    mutating func object(depth: Int) throws(ReaderError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail("nested deeper than \(maximumDepth) levels") }
        offset += 1
        var members: [JSONMember] = []
        // Duplicates are found by scanning the members of small objects (nearly all of them)
        // and by a set once an object grows past `linearLimit`, so no input is quadratic.
        let linearLimit = 16
        var seen: Set<String> = []
        skipWhitespace()
        if current == UInt8(ascii: "}") { offset += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let keyOffset = offset
            let key = try string()
            let duplicate: Bool
            if members.count < linearLimit {
                duplicate = members.contains { $0.key == key }
            } else {
                if seen.isEmpty { seen = Set(members.map(\.key)) }
                duplicate = !seen.insert(key).inserted
            }
            guard !duplicate else { throw ReaderError(offset: keyOffset, detail: "duplicate member name") }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw fail("expected ':'") }
            offset += 1
            skipWhitespace()
            members.append(JSONMember(key, try value(depth: depth)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; return .object(members)
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    mutating func array(depth: Int) throws(ReaderError) -> JSONValue {
        guard depth <= maximumDepth else { throw fail("nested deeper than \(maximumDepth) levels") }
        offset += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { offset += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"): offset += 1; return .array(elements)
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    mutating func digits() -> Int {
        let start = offset
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { offset += 1 }
        return offset - start
    }

    mutating func number() throws(ReaderError) -> String {
        let start = offset
        if current == UInt8(ascii: "-") { offset += 1 }
        if current == UInt8(ascii: "0") {
            offset += 1
        } else {
            guard digits() > 0 else { throw fail("invalid number") }
        }
        if current == UInt8(ascii: ".") {
            offset += 1
            guard digits() > 0 else { throw fail("invalid number: digits expected after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            offset += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { throw fail("invalid number: digits expected in exponent") }
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    mutating func hex4() throws(ReaderError) -> UInt32 {
        guard bytes.count - offset >= 4 else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }

    mutating func string() throws(ReaderError) -> String {
        offset += 1
        var utf8: [UInt8] = []
        var runStart = offset
        var ascii = true
        while true {
            guard let byte = current else { throw fail("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                if utf8.isEmpty {
                    // No escape met: the text is the bytes as they are, validated once.
                    let run = bytes[runStart..<offset]
                    offset += 1
                    // ASCII is valid UTF-8 as it is; `String(validating:)` over a slice takes
                    // the standard library's generic path (about 1,000 instructions a string).
                    if ascii { return String(decoding: run, as: UTF8.self) }
                    guard let text = String(validating: run, as: UTF8.self) else {
                        throw ReaderError(offset: runStart, detail: "string is not valid UTF-8")
                    }
                    return text
                }
                utf8.append(contentsOf: bytes[runStart..<offset])
                offset += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw ReaderError(offset: runStart, detail: "string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                utf8.append(contentsOf: bytes[runStart..<offset])
                offset += 1
                try escape(into: &utf8)
                runStart = offset
            case 0x00..<0x20:
                throw fail("control character in string")
            case 0x80...:
                ascii = false
                offset += 1
            default:
                offset += 1
            }
        }
    }

    mutating func escape(into utf8: inout [UInt8]) throws(ReaderError) {
        guard let byte = current else { throw fail("unterminated escape") }
        offset += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalarValue = try hex4()
            if (0xD800..<0xDC00).contains(scalarValue) {
                guard bytes.count - offset >= 2, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                    throw fail("unpaired surrogate")
                }
                offset += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate") }
                scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { throw fail("unpaired surrogate") }
            utf8.append(contentsOf: String(Character(scalar)).utf8)
        default:
            throw fail("invalid escape")
        }
    }
}
