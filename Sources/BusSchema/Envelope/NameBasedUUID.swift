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
        var hash = SHA1()
        hash.update(namespaceBytes)
        return v5(hashedNamespace: hash, name: name.utf8)
    }

    /// `v5(namespace:name:)` in the bus namespace, from its hash state computed once.
    static func busV5(name: some Sequence<UInt8>) -> String {
        v5(hashedNamespace: busNamespaceHash, name: name)
    }

    private static let busNamespaceHash: SHA1 = {
        var hash = SHA1()
        hash.update(busNamespace)
        return hash
    }()

    private static func v5(hashedNamespace: SHA1, name: some Sequence<UInt8>) -> String {
        var hash = hashedNamespace
        hash.update(name)
        var bytes = hash.finish()
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

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The first 16 of `bytes` in 8-4-4-4-12 form, written once into a 36-byte string.
    private static func format(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: 36) { text in
            var cursor = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[cursor] = UInt8(ascii: "-")
                    cursor += 1
                }
                text[cursor] = hexDigits[Int(bytes[index] >> 4)]
                text[cursor + 1] = hexDigits[Int(bytes[index] & 0x0F)]
                cursor += 2
            }
            return cursor
        }
    }
}
