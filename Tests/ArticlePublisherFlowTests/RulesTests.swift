import ArticlePublisherFlow
import BusSchema
import Foundation
import Testing

/// The JSON rules file: documented defaults, a file lists only what it changes.
@Suite("article-publisher: rules file")
struct RulesTests {
    static func decode(_ json: String) throws -> ArticlePublisherRules {
        try JSONDecoder().decode(ArticlePublisherRules.self, from: Data(json.utf8))
    }

    @Test("an empty file gives the defaults: every family, French first, French and English, half-up")
    func defaults() throws {
        let rules = try Self.decode("{}")
        #expect(rules == .defaults)
        #expect(rules.families.isEmpty)
        #expect(rules.defaultLanguage == "fr")
        #expect(rules.languages == ["fr", "en"])
        #expect(rules.rounding == .halfUp)
    }

    @Test("a file changes only the fields it lists")
    func partial() throws {
        let rules = try Self.decode(#"{"families": ["TEXTILE", "SHOES"], "rounding": "half_even"}"#)
        #expect(rules.families == ["TEXTILE", "SHOES"])
        #expect(rules.rounding == .halfEven)
        #expect(rules.defaultLanguage == "fr")
        #expect(rules.languages == ["fr", "en"])
    }

    @Test("every field can be set")
    func everything() throws {
        let rules = try Self.decode(#"{"families": [], "default_language": "en", "languages": ["en", "de-CH"], "rounding": "down"}"#)
        #expect(rules == ArticlePublisherRules(families: [], defaultLanguage: "en", languages: ["en", "de-CH"], rounding: .down))
    }

    @Test("bad values and unknown fields are refused, not defaulted",
          arguments: [#"{"default_language": "xx"}"#, #"{"languages": ["fr", "klingon"]}"#, #"{"rounding": "up"}"#,
                      #"{"familys": ["TEXTILE"]}"#, #"{"families": "TEXTILE"}"#, #"{"rounding": null}"#])
    func refused(_ json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(json) }
    }
}
