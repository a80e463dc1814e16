import BusSchema

/// Ids of the messages this flow makes, derived from business facts (a payment id, an
/// invoice number) rather than from the input that triggered them: whichever input, and
/// however often, the same fact gives the same id, so readers can deduplicate.
enum OutputID {
    /// `<prefix>-<part>-<part>…` when that is a valid event id (letters, digits, `_.:-`, at
    /// most 128 characters); otherwise `<prefix>-` and the name-based UUID of the parts, as
    /// stable as the text would have been.
    static func make(_ prefix: String, _ parts: [String]) -> EventID {
        let text = ([prefix] + parts).joined(separator: "-")
        if isValid(text) { return EventID(text) }
        let name = parts.joined(separator: "\u{1F}")
        return EventID("\(prefix)-\(NameBasedUUID.v5(namespace: NameBasedUUID.busNamespace, name: name))")
    }

    private static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= 128, first.isASCIIAlphanumeric else { return false }
        return bytes.allSatisfy { byte in
            byte.isASCIIAlphanumeric || [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "-")].contains(byte)
        }
    }
}
