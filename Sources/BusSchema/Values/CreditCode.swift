/// The code a customer spends store credit or a bus-issued gift card with: `SC-XXXX-XXXX-XXXX`
/// (store credit) or `GC-XXXX-XXXX-XXXX` (gift card), each X one of 20 upper-case consonants.
///
/// Why letters only: a code travels in `provider_reference` of `shop.payments`, where the card
/// screen refuses anything that looks like a card number; a code without digits can never be
/// one. Why consonants: no word can be spelt by accident. The code is derived from the facts
/// it was issued for (a credit note number, a sales order line), so a replay issues the same
/// code; 20^12 codes (52 bits) make two facts sharing one code vanishingly unlikely. With a
/// `CreditCodeSecret` the derivation is keyed (HMAC-SHA256): knowing the facts, which a
/// customer does (their credit note number), no longer gives the code.
public struct CreditCode: StringIdentifier {
    /// The text.
    public let rawValue: String
    /// A code with this text (not checked: see `isWellFormed`).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// What a code pays with: store credit from a credit note, or a gift card sold as an article.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// `SC-`: store credit from a credit note without refund.
        case storeCredit = "SC"
        /// `GC-`: a gift card sold as an article and paid.
        case giftCard = "GC"
    }

    /// The 20 letters a code is made of.
    static let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ".utf8)

    /// The schema pattern of a code.
    public static let pattern = "^[GS]C-[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$"

    /// The code of `kind` for `facts`: the same facts (and secret) always give the same code.
    /// Without `secret` anyone who knows the facts can compute it; with one, only who holds it.
    public static func derive(_ kind: Kind, from facts: [String], secret: CreditCodeSecret? = nil) -> CreditCode {
        let message = Array(([kind.rawValue] + facts).joined(separator: "\u{1F}").utf8)
        let digest = secret.map { HMACSHA256.authenticate(message, key: $0.bytes) } ?? SHA1.digest(message)
        let letters = digest.prefix(12).map { alphabet[Int($0) % alphabet.count] }
        let groups = stride(from: 0, to: 12, by: 4).map { String(decoding: letters[$0..<$0 + 4], as: UTF8.self) }
        return CreditCode(rawValue: ([kind.rawValue] + groups).joined(separator: "-"))
    }

    /// The kind of a well-formed code; nil for any other text (a provider's own gift card code).
    public var kind: Kind? {
        guard isWellFormed else { return nil }
        return Kind(rawValue: String(rawValue.prefix(2)))
    }

    /// Whether the text has the form of a code the bus issues.
    public var isWellFormed: Bool {
        let bytes = Array(rawValue.utf8)
        guard bytes.count == 17, Kind(rawValue: String(rawValue.prefix(2))) != nil else { return false }
        return bytes.enumerated().dropFirst(2).allSatisfy { index, byte in
            index % 5 == 2 ? byte == UInt8(ascii: "-") : Self.alphabet.contains(byte)
        }
    }

    /// The schema node of a code field.
    public static var schema: SchemaNode {
        .string(StringRule(maximumLength: 17, pattern: pattern, patternName: "a credit code: SC- or GC- and three groups of four consonants"))
    }
}
