import ArticlePublisherFlow
import BusSchema
import Testing

/// "Publish only when what the site would show changes; an article that stops qualifying is unpublished."
@Suite("article-publisher: differential publishing")
struct DifferentialTests {
    enum Expected: Equatable, Sendable {
        case nothing, publish, unpublish(UnpublishReason)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let testDescription: String
        /// What the ERP sent before (nil: nothing yet).
        let before: (@Sendable (inout ERPArticle) -> Void)?
        /// What it sends now.
        let now: @Sendable (inout ERPArticle) -> Void
        let expected: Expected
    }

    static let cases: [Case] = [
        Case(testDescription: "a new selected article is published",
             before: nil, now: { _ in }, expected: .publish),
        Case(testDescription: "the same article again publishes nothing",
             before: { _ in }, now: { _ in }, expected: .nothing),
        Case(testDescription: "a change the site does not show (weight, date) publishes nothing",
             before: { _ in }, now: { $0.weightKg = Quantity("0.300"); $0.updatedAt = Instant("2024-06-01T00:00:00Z")! }, expected: .nothing),
        Case(testDescription: "a change to a web-disabled variant publishes nothing",
             before: { $0.variants.append(ArticleVariant(sku: "TSHIRT-BLU-L", options: ["size": "L"], webEnabled: false)) },
             now: { $0.variants.append(ArticleVariant(sku: "TSHIRT-BLU-L", options: ["size": "XL"], webEnabled: false)) }, expected: .nothing),
        Case(testDescription: "a new price is published",
             before: { _ in }, now: { $0.basePriceExclTax = Fixture.eur(1700) }, expected: .publish),
        Case(testDescription: "a new VAT rate is published (the price including tax changes)",
             before: { _ in }, now: { $0.vatRate = Rate("5.5")! }, expected: .publish),
        Case(testDescription: "a removed variant is published",
             before: { _ in }, now: { $0.variants.removeLast() }, expected: .publish),
        Case(testDescription: "an article that lost its English label is published (English falls back to French)",
             before: { _ in }, now: { $0.shortLabels[Fixture.en] = nil }, expected: .publish),
        Case(testDescription: "an article that lost its default-language label is unpublished",
             before: { _ in }, now: { $0.shortLabels[Fixture.fr] = nil }, expected: .unpublish(.webDisabled)),
        Case(testDescription: "an article made obsolete is unpublished as obsolete",
             before: { _ in }, now: { $0.status = .obsolete }, expected: .unpublish(.obsolete)),
        Case(testDescription: "an article taken off the web is unpublished as web-disabled",
             before: { _ in }, now: { $0.webEnabled = false }, expected: .unpublish(.webDisabled)),
        Case(testDescription: "an article never published and not selected produces nothing",
             before: nil, now: { $0.webEnabled = false }, expected: .nothing),
        Case(testDescription: "an article already unpublished and still not selected produces nothing",
             before: { $0.webEnabled = false }, now: { $0.status = .obsolete }, expected: .nothing),
        Case(testDescription: "an article selected again is published again",
             before: { $0.webEnabled = false }, now: { _ in }, expected: .publish),
    ]

    @Test(arguments: cases)
    func differential(_ rule: Case) throws {
        let run = Run()
        if let before = rule.before {
            try run.handle(Fixture.article(change: { _ in }))  // the site shows the article first
            try run.handle(Fixture.article(change: before))
        }
        let outputs = try run.handle(Fixture.article(change: rule.now))
        switch rule.expected {
        case .nothing:
            #expect(outputs.isEmpty)
        case .publish:
            #expect(outputs.count == 1)
            #expect(outputs.first?.topic == Topics.shopCatalog)
            #expect(outputs.first?.key == "TSHIRT-BLU")
            #expect(outputs.first?.entry == (try CatalogMapping.entry(for: Fixture.article(change: rule.now), rules: .defaults)))
        case .unpublish(let reason):
            #expect(outputs.count == 1)
            #expect(outputs.first?.topic == Topics.shopCatalog)
            #expect(outputs.first?.key == "TSHIRT-BLU")
            #expect(outputs.first?.unpublish?.reason == reason)
        }
    }

    @Test("a redelivered article whose change the state already holds produces nothing")
    func redelivery() throws {
        let run = Run()
        let input = Fixture.input(Fixture.article { $0.basePriceExclTax = Fixture.eur(1800) }, id: "erp-1")
        #expect(try run.handle(input).count == 1)
        #expect(try run.handle(input).isEmpty)
    }

    @Test("an unpublished article leaves no state behind")
    func unpublishForgets() throws {
        let run = Run()
        try run.handle(Fixture.article())
        try run.handle(Fixture.article { $0.webEnabled = false })
        #expect(run.store.snapshot.isEmpty)
    }

    @Test("a message that is not an article is refused")
    func wrongType() {
        let unpublish = CatalogUnpublish(sku: "X", reason: .obsolete, unpublishedAt: Fixture.time)
        let input = FlowInput(envelope: Envelope(for: CatalogUnpublish.self, id: "x", source: "erp/test", time: Fixture.time),
                              message: unpublish, key: "X", topic: Topics.erpArticles)
        #expect(throws: FlowRejection.self) { try Run().handle(input) }
    }
}
