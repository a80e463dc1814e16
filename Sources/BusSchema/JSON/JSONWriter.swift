import Foundation

/// Writes a `JSONValue` in the bus's canonical form, so equal values give equal bytes.
///
/// Guarantees: object members sorted by key (UTF-8 byte order), numbers written as their
/// literal text, strings escaped only where JSON requires (`"`, `\`, control characters;
/// `/` and non-ASCII are written as they are). `compact` has no whitespace; `pretty`
/// indents by two spaces and is what files under `topics/` use.
public enum JSONWriter {
    /// The compact canonical bytes: what goes on the wire.
    public static func compact(_ value: JSONValue) -> Data {
        var out: [UInt8] = []
        write(value, into: &out, indent: nil)
        return Data(out)
    }

    /// The indented canonical bytes followed by a newline: what files hold.
    public static func pretty(_ value: JSONValue) -> Data {
        var out: [UInt8] = []
        write(value, into: &out, indent: 0)
        out.append(0x0A)
        return Data(out)
    }

    /// `value` in canonical form, appended to `out`; compact when `indent` is nil.
    static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int?) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case let .number(literal): out.append(contentsOf: literal.utf8)
        case let .string(text): writeString(text, into: &out)
        case let .array(elements):
            writeList(elements, open: "[", close: "]", into: &out, indent: indent) { element, out, indent in
                write(element, into: &out, indent: indent)
            }
        case let .object(members):
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            writeList(sorted, open: "{", close: "}", into: &out, indent: indent) { member, out, indent in
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                write(member.value, into: &out, indent: indent)
            }
        }
    }

    private static func writeList<Element>(
        _ elements: [Element], open: Unicode.Scalar, close: Unicode.Scalar, into out: inout [UInt8], indent: Int?,
        body: (Element, inout [UInt8], Int?) -> Void
    ) {
        out.append(UInt8(ascii: open))
        guard !elements.isEmpty else { out.append(UInt8(ascii: close)); return }
        let inner = indent.map { $0 + 2 }
        for (position, element) in elements.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            if let inner { newline(into: &out, indent: inner) }
            body(element, &out, inner)
        }
        if let indent { newline(into: &out, indent: indent) }
        out.append(UInt8(ascii: close))
    }

    private static func newline(into out: inout [UInt8], indent: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `text` as a JSON string literal, escaped as the canonical form says.
    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0x00..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
