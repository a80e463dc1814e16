import ArticlePublisherFlow
import BusSchema
import Testing

/// "Mapping: code → SKU, short label → name, long label → description, per language with
/// fallback to the default language; variants with their option values; image references; unit."
@Suite("article-publisher: mapping")
struct MappingTests {
    static let fr = Fixture.fr, en = Fixture.en, de = Fixture.de

    struct LabelCase: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let labels: [LanguageCode: String]
        let languages: [String]
        let expected: [LanguageCode: String]
    }

    static let labelCases: [LabelCase] = [
        LabelCase(testDescription: "each shown language takes the article's own label",
                  labels: [fr: "Chemise", en: "Shirt"], languages: ["fr", "en"], expected: [fr: "Chemise", en: "Shirt"]),
        LabelCase(testDescription: "an article that lost its English label shows the French one in English",
                  labels: [fr: "Chemise"], languages: ["fr", "en"], expected: [fr: "Chemise", en: "Chemise"]),
        LabelCase(testDescription: "a blank label falls back like a missing one",
                  labels: [fr: "Chemise", en: " "], languages: ["fr", "en"], expected: [fr: "Chemise", en: "Chemise"]),
        LabelCase(testDescription: "labels in languages the site does not show are left out",
                  labels: [fr: "Chemise", en: "Shirt", de: "Hemd"], languages: ["fr", "en"], expected: [fr: "Chemise", en: "Shirt"]),
        LabelCase(testDescription: "the default language is shown even when not listed",
                  labels: [fr: "Chemise", de: "Hemd"], languages: ["de"], expected: [fr: "Chemise", de: "Hemd"]),
    ]

    @Test(arguments: labelCases)
    func names(_ rule: LabelCase) throws {
        var rules = ArticlePublisherRules.defaults
        rules.languages = rule.languages
        let entry = try CatalogMapping.entry(for: Fixture.article { $0.shortLabels = rule.labels }, rules: rules)
        #expect(entry.name == rule.expected)
    }

    struct DescriptionCase: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let descriptions: [LanguageCode: String]?
        let expected: [LanguageCode: String]?
    }

    static let descriptionCases: [DescriptionCase] = [
        DescriptionCase(testDescription: "long labels become the description per language",
                        descriptions: [fr: "Long", en: "Long EN"], expected: [fr: "Long", en: "Long EN"]),
        DescriptionCase(testDescription: "a missing English description falls back to the French one",
                        descriptions: [fr: "Long"], expected: [fr: "Long", en: "Long"]),
        DescriptionCase(testDescription: "without a default-language description, only the languages that have one are shown",
                        descriptions: [en: "Long EN"], expected: [en: "Long EN"]),
        DescriptionCase(testDescription: "no long labels at all: no description",
                        descriptions: nil, expected: nil),
    ]

    @Test(arguments: descriptionCases)
    func descriptions(_ rule: DescriptionCase) throws {
        let entry = try CatalogMapping.entry(for: Fixture.article { $0.longDescriptions = rule.descriptions }, rules: .defaults)
        #expect(entry.description == rule.expected)
    }

    @Test("SKU, categories, barcode, unit and VAT rate are the article's; images in display order")
    func plainFields() throws {
        let article = Fixture.article {
            $0.images = [ImageReference(url: "https://m.example.com/b.jpg", position: 2),
                         ImageReference(url: "https://m.example.com/a.jpg", position: 1)]
            $0.unit = "KGM"
        }
        let entry = try CatalogMapping.entry(for: article, rules: .defaults)
        #expect(entry.sku == article.sku)
        #expect(entry.categories == article.categories)
        #expect(entry.gtin == article.gtin)
        #expect(entry.unit == "KGM")
        #expect(entry.vatRate == article.vatRate)
        #expect(entry.images.map(\.position) == [1, 2])
        #expect(entry.publishedAt == article.updatedAt)
        #expect(entry.validate().isEmpty)
    }

    struct VariantCase: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let variants: [ArticleVariant]
        let expected: [CatalogVariant]
    }

    static let s = ArticleVariant(sku: "TSHIRT-BLU-S", options: ["size": "S", "color": "navy"], gtin: "3760123450010", webEnabled: true)
    static let m = ArticleVariant(sku: "TSHIRT-BLU-M", options: ["size": "M", "color": "navy"], webEnabled: true)
    static let l = ArticleVariant(sku: "TSHIRT-BLU-L", options: ["size": "L", "color": "navy"], webEnabled: false)

    static let variantCases: [VariantCase] = [
        VariantCase(testDescription: "web-enabled variants are listed with their option values and barcode",
                    variants: [s, m], expected: [
                        CatalogVariant(sku: "TSHIRT-BLU-S", options: ["size": "S", "color": "navy"], gtin: "3760123450010"),
                        CatalogVariant(sku: "TSHIRT-BLU-M", options: ["size": "M", "color": "navy"])]),
        VariantCase(testDescription: "a variant kept off the web is not listed",
                    variants: [s, l], expected: [CatalogVariant(sku: "TSHIRT-BLU-S", options: ["size": "S", "color": "navy"], gtin: "3760123450010")]),
        VariantCase(testDescription: "a simple article has no variants",
                    variants: [], expected: []),
    ]

    @Test(arguments: variantCases)
    func variants(_ rule: VariantCase) throws {
        let entry = try CatalogMapping.entry(for: Fixture.article { $0.variants = rule.variants }, rules: .defaults)
        #expect(entry.variants == rule.expected)
    }
}
