import BusSchema

/// The rules of article-publisher, read from the JSON file named by `BUS_CONFIG`.
///
/// Every field has a default (`defaults`), so a file lists only what it changes. A field that is
/// present with a wrong value (an unknown language, an unknown rounding mode), or a field name
/// this type does not know, is an error rather than a silent default.
public struct ArticlePublisherRules: Decodable, Sendable, Equatable {
    /// The article families that go online; empty means every family. Default: empty.
    public var families: [Code]
    /// The language tag every article must have a short label in, and the fallback for the
    /// other languages. Default: `fr`.
    public var defaultLanguage: String
    /// The language tags the site shows; each gets the default language's text when the article
    /// has none of its own. The default language is always shown. Default: `fr`, `en`.
    public var languages: [String]
    /// How the price including tax is rounded to the currency's minor unit. Default: `half_up`.
    public var rounding: RoundingMode

    /// The rules when no file is given, and the value of every field a file leaves out.
    public static let defaults = ArticlePublisherRules(families: [], defaultLanguage: "fr", languages: ["fr", "en"], rounding: .halfUp)

    /// Rules with every field given. Language tags that are not ISO 639-1 (with an optional
    /// region) are never shown; a file with one is refused when it is read.
    public init(families: [Code], defaultLanguage: String, languages: [String], rounding: RoundingMode) {
        self.families = families
        self.defaultLanguage = defaultLanguage
        self.languages = languages
        self.rounding = rounding
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case families
        case defaultLanguage = "default_language"
        case languages
        case rounding
    }

    /// Reads a rules file: absent fields take their default; unknown field names are refused.
    public init(from decoder: any Decoder) throws {
        try FlowRulesKeys.refuseUnknown(in: decoder, known: CodingKeys.allCases.map(\.stringValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.defaults
        families = try container.decode([Code].self, forKey: .families, default: defaults.families)
        // Decoding as LanguageCode checks each tag; the tag is what is kept.
        defaultLanguage = try container.decodeIfListed(LanguageCode.self, forKey: .defaultLanguage)?.tag ?? defaults.defaultLanguage
        languages = try container.decodeIfListed([LanguageCode].self, forKey: .languages)?.map(\.tag) ?? defaults.languages
        rounding = try container.decode(RoundingMode.self, forKey: .rounding, default: defaults.rounding)
    }

    /// The default language, when its tag is valid.
    var defaultLanguageCode: LanguageCode? { LanguageCode(defaultLanguage) }

    /// The languages an entry is written in: the default language first, then the others
    /// configured, each once.
    var shownLanguages: [LanguageCode] {
        var seen: Set<String> = []
        return ([defaultLanguage] + languages).filter { seen.insert($0).inserted }.compactMap(LanguageCode.init)
    }
}
