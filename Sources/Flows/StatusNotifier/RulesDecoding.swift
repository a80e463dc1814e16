import BusSchema

// Flows cannot import the runtime, whose `decode(_:forKey:default:)` serves the same purpose:
// this is its twin for the rules type of this module.
extension KeyedDecodingContainer {
    /// The value for `key`, or `fallback` when the key is absent. A key present with a wrong
    /// type or `null` is an error: a typo in a value must not silently become a default.
    func value<Value: Decodable>(_ type: Value.Type, forKey key: Key, default fallback: Value) throws -> Value {
        contains(key) ? try decode(type, forKey: key) : fallback
    }
}

extension Code {
    /// Whether the text is a valid code on the wire: 1 to 64 letters, digits, '_', '.' or '-',
    /// starting with a letter or digit (the schema's `code` definition).
    var isWellFormed: Bool {
        let bytes = Array(rawValue.utf8)
        guard let first = bytes.first, bytes.count <= 64, first.isASCIIAlphanumeric else { return false }
        return bytes.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }
}

extension UInt8 {
    /// An ASCII letter or digit.
    var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
