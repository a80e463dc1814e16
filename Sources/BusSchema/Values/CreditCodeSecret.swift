/// The secret credit codes are derived with (`BUS_CREDIT_CODE_SECRET`, or the file named by
/// `BUS_CREDIT_CODE_SECRET_FILE`): with it a code is the HMAC-SHA256 of its facts, which no
/// one without the secret can compute from the credit note or order number; the same facts
/// still give the same code, so a replay issues the same one.
///
/// Never shown: its description hides it, so no log line or error message can carry it.
public struct CreditCodeSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The shortest secret taken, in bytes: RFC 2104 advises a key no shorter than the
    /// digest; 16 random bytes (32 hex digits) already make codes unguessable.
    public static let minimumLength = 16

    let bytes: [UInt8]

    /// The secret `text` (its UTF-8 bytes); nil when shorter than `minimumLength` bytes.
    public init?(_ text: String) {
        guard text.utf8.count >= Self.minimumLength else { return nil }
        bytes = Array(text.utf8)
    }

    /// Hidden.
    public var description: String { "<credit code secret>" }
    /// Hidden.
    public var debugDescription: String { description }
}
