import ArticlePublisherFlow
import BusSchema
import Testing

/// "An article goes online when it is web-enabled, active, in a configured family set, and has
/// a short label in the default language and a price."
@Suite("article-publisher: selection")
struct SelectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let families: [Code]
        let change: @Sendable (inout ERPArticle) -> Void
        let expected: ArticleSelection
    }

    static let cases: [Case] = [
        Case(testDescription: "an active web-enabled article with a label and a price goes online",
             families: [], change: { _ in }, expected: .selected),
        Case(testDescription: "an obsolete article stays off",
             families: [], change: { $0.status = .obsolete }, expected: .rejected(.notActive)),
        Case(testDescription: "an article the ERP keeps off the web stays off",
             families: [], change: { $0.webEnabled = false }, expected: .rejected(.notWebEnabled)),
        Case(testDescription: "obsolete and web-disabled: obsolescence is the reason given",
             families: [], change: { $0.status = .obsolete; $0.webEnabled = false }, expected: .rejected(.notActive)),
        Case(testDescription: "a family in the configured set goes online",
             families: ["SHOES", "TEXTILE"], change: { _ in }, expected: .selected),
        Case(testDescription: "a family outside the configured set stays off",
             families: ["SHOES"], change: { _ in }, expected: .rejected(.familyNotSelected)),
        Case(testDescription: "no configured family means every family",
             families: [], change: { $0.family = "ANYTHING" }, expected: .selected),
        Case(testDescription: "no short label in the default language: off, whatever the other languages",
             families: [], change: { $0.shortLabels = [Fixture.en: "Organic cotton T-shirt"] }, expected: .rejected(.noLabelInDefaultLanguage)),
        Case(testDescription: "a blank short label in the default language counts as none",
             families: [], change: { $0.shortLabels[Fixture.fr] = "   " }, expected: .rejected(.noLabelInDefaultLanguage)),
        Case(testDescription: "a label only in a region variant of the default language is not the default language",
             families: [], change: { $0.shortLabels = [LanguageCode("fr-BE")!: "T-shirt"] }, expected: .rejected(.noLabelInDefaultLanguage)),
        Case(testDescription: "a price of zero is no price",
             families: [], change: { $0.basePriceExclTax = Fixture.eur(0) }, expected: .rejected(.noPrice)),
        Case(testDescription: "one cent is a price",
             families: [], change: { $0.basePriceExclTax = Fixture.eur(1) }, expected: .selected),
    ]

    @Test(arguments: cases)
    func selection(_ rule: Case) {
        var rules = ArticlePublisherRules.defaults
        rules.families = rule.families
        #expect(ArticleSelection.judge(Fixture.article(change: rule.change), rules: rules) == rule.expected)
    }

    @Test("the unpublish reason is obsolete for an obsolete article, web_disabled for every other failure",
          arguments: SelectionFailure.allCases)
    func unpublishReason(_ failure: SelectionFailure) {
        #expect(failure.unpublishReason == (failure == .notActive ? .obsolete : .webDisabled))
    }
}
