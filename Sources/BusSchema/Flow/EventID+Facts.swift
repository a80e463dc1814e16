extension EventID {
    /// An id derived from business facts (a payment id, an invoice number) rather than from
    /// the input that triggered a message: whichever input, and however often, the same facts
    /// give the same id, so readers can deduplicate.
    ///
    /// `<prefix>-<part>-<part>…` when that is a valid event id (letters, digits, `_.:-`, at
    /// most 128 characters); otherwise `<prefix>-` and the name-based UUID of the parts, as
    /// stable as the text would have been.
    public static func fromFacts(_ prefix: String, _ parts: [String]) -> EventID {
        let text = ([prefix] + parts).joined(separator: "-")
        if isValidText(text) { return EventID(rawValue: text) }
        let name = parts.joined(separator: "\u{1F}")
        return EventID(rawValue: "\(prefix)-\(NameBasedUUID.v5(namespace: NameBasedUUID.busNamespace, name: name))")
    }

    private static func isValidText(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 128, first.isASCIIAlphanumeric else { return false }
        return bytes.allSatisfy { byte in
            byte.isASCIIAlphanumeric || [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "-")].contains(byte)
        }
    }
}

extension Code {
    /// Whether the text is a valid code on the wire: 1 to 64 letters, digits, '_', '.' or '-',
    /// starting with a letter or digit (the schema's `code` definition).
    public var isWellFormed: Bool {
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
