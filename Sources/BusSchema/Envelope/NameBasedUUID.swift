/// Name-based UUIDs (RFC 9562 version 5, SHA-1): the same namespace and name always give
/// the same UUID, so outputs derived from a redelivered input get the same ids.
public enum NameBasedUUID {
    /// The namespace of ids the bus derives for its outputs (fixed forever: changing it changes every derived id).
    public static let busNamespace: [UInt8] = [
        0x6C, 0x1B, 0x9E, 0x52, 0x3F, 0x0D, 0x4B, 0x8A, 0x9C, 0x47, 0x21, 0xE5, 0xB0, 0x7A, 0x3D, 0x16,
    ]

    /// The version 5 UUID of `name` (its UTF-8) in `namespace` (16 bytes), in lower-case
    /// 8-4-4-4-12 form. A namespace of another length is padded or cut to 16 bytes.
    public static func v5(namespace: [UInt8], name: String) -> String {
        let namespaceBytes = Array((namespace + [UInt8](repeating: 0, count: 16)).prefix(16))
        var bytes = Array(SHA1.digest(namespaceBytes + Array(name.utf8)).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x50
        bytes[8] = bytes[8] & 0x3F | 0x80
        return format(bytes)
    }

    /// The 16 bytes of a UUID text ("886313e1-3b8a-5372-9b90-0c9aee199e5d"), or nil.
    public static func bytes(of text: String) -> [UInt8]? {
        let hex = Array(text.utf8.filter { $0 != UInt8(ascii: "-") })
        guard hex.count == 32, text.utf8.count == 36 else { return nil }
        var result: [UInt8] = []
        for index in stride(from: 0, to: 32, by: 2) {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            result.append(high << 4 | low)
        }
        return result
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func format(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for (index, byte) in bytes.enumerated() {
            if [4, 6, 8, 10].contains(index) { text.append("-") }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
