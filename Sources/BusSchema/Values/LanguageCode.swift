/// A language tag: an ISO 639-1 language, optionally with an ISO 3166 region ("fr", "fr-BE", "en-GB").
///
/// Guarantees: the language part is an assigned ISO 639-1 code (lower case) and the region,
/// when present, an assigned ISO 3166-1 alpha-2 code (upper case). Usable as a JSON object
/// key (labels per language are maps keyed by language).
public struct LanguageCode: Sendable, Hashable, Comparable, CustomStringConvertible, Codable, CodingKeyRepresentable {
    /// The tag as written ("fr-BE").
    public let tag: String

    /// The tag, or nil when it is not `ll` or `ll-RR` with known codes.
    public init?(_ tag: String) {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), Self.languages.contains(String(parts[0])) else { return nil }
        if parts.count == 2, CountryCode(String(parts[1])) == nil { return nil }
        self.tag = tag
    }

    /// The language part ("fr" for "fr-BE").
    public var language: String { String(tag.prefix(2)) }

    /// Every ISO 639-1 code, sorted.
    public static var allLanguages: [String] { languages.sorted() }

    /// The tag.
    public var description: String { tag }

    public static func < (lhs: LanguageCode, rhs: LanguageCode) -> Bool { lhs.tag < rhs.tag }

    /// The tag as a JSON object key.
    public var codingKey: any CodingKey { TagKey(stringValue: tag) }

    /// The tag read from a JSON object key; nil when it is not a valid tag.
    public init?<T: CodingKey>(codingKey: T) { self.init(codingKey.stringValue) }

    /// Reads a tag; an invalid tag is a decoding error.
    public init(from decoder: any Decoder) throws {
        let tag = try decoder.singleString()
        guard let language = LanguageCode(tag) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown language"))
        }
        self = language
    }

    /// Writes the tag.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(tag)
    }

    private struct TagKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let languages: Set<String> = Set([
        "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv",
        "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr",
        "ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw",
        "ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv",
        "ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr",
        "ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi",
        "yo za zh zu",
    ].joined(separator: " ").split(separator: " ").map(String.init))
}
