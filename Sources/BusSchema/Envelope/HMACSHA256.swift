/// HMAC-SHA256 (RFC 2104 over FIPS 180-4 SHA-256): a keyed digest that no one without the key
/// can compute, so a value derived from known facts with it cannot be guessed from them.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key` (any length: a key longer than
    /// the 64-byte block is hashed first, as RFC 2104 says).
    public static func authenticate(_ message: some Sequence<UInt8>, key: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? SHA256.digest(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5C })
        outer.update(inner.finish())
        return outer.finish()
    }
}
