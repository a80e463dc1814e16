import ArticlePublisherFlow
import BusSchema
import Foundation
import Testing

/// "erp.article may give the public price as base_price_incl_tax instead of base_price_excl_tax,
/// exactly one of the two; a price-list row may likewise give price_incl_tax instead of
/// price_excl_tax. The site shows exactly the amount the ERP set; the other is derived and
/// marked as derived."
@Suite("article-publisher: prices set including tax")
struct PriceInclTaxTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let gross: Int64
        let rate: String
        let net: Int64
        var testDescription: String { "\(gross) cents incl. tax at \(rate) % is published exactly (net \(net), derived)" }
    }

    /// Every .99 price from 0.99 to 99.99 at the four French rates, with the net a human checks:
    /// the gross ÷ (1 + rate), half-up. At 20 %, 9.99 € has no net that grosses back to it (8.32
    /// gives 9.98, 8.33 gives 10.00): only a price set including tax publishes it.
    static let cases: [Case] = [
        Case(gross: 999, rate: "20.0", net: 833), Case(gross: 1999, rate: "20.0", net: 1666), Case(gross: 99, rate: "20.0", net: 83),
        Case(gross: 2999, rate: "20.0", net: 2499), Case(gross: 9999, rate: "20.0", net: 8333),
        Case(gross: 999, rate: "10.0", net: 908), Case(gross: 1999, rate: "10.0", net: 1817), Case(gross: 4999, rate: "10", net: 4545),
        Case(gross: 999, rate: "5.5", net: 947), Case(gross: 199, rate: "5.5", net: 189), Case(gross: 2999, rate: "5.5", net: 2843),
        Case(gross: 999, rate: "2.1", net: 978), Case(gross: 399, rate: "2.1", net: 391), Case(gross: 9999, rate: "2.1", net: 9793),
    ]

    @Test(arguments: cases)
    func publicPriceInclTaxIsShownExactly(_ rule: Case) throws {
        let article = Fixture.article {
            $0.vatRate = Rate(rule.rate)!
            $0.basePriceExclTax = nil
            $0.basePriceInclTax = Fixture.eur(rule.gross)
            $0.priceLists = [PriceListPrice(priceList: "PROMO", minimumQuantity: Quantity(3), priceInclTax: Fixture.eur(rule.gross))]
        }
        #expect(article.validate().isEmpty)
        let entry = try CatalogMapping.entry(for: article, rules: .defaults)
        #expect(entry.priceInclTax == Fixture.eur(rule.gross), "the site shows exactly what the ERP set")
        #expect(entry.priceExclTax == Fixture.eur(rule.net))
        #expect(entry.derived == .exclTax)
        #expect(entry.priceLists.map(\.priceInclTax) == [Fixture.eur(rule.gross)])
        #expect(entry.priceLists.map(\.derived) == [.exclTax])
        #expect(entry.validate().isEmpty, "the entry passes its own schema rules")
    }

    /// Every .99 price from 0.99 € to 99.99 € at each rate: published exactly when set incl. tax.
    @Test(arguments: ["20.0", "10.0", "5.5", "2.1"])
    func everyNinetyNinePriceIsPublishedExactly(_ rate: String) throws {
        var unreachableFromNet = 0
        for euros in Int64(0)...99 {
            let gross = Fixture.eur(euros * 100 + 99)
            let article = Fixture.article { $0.vatRate = Rate(rate)!; $0.basePriceExclTax = nil; $0.basePriceInclTax = gross }
            let entry = try CatalogMapping.entry(for: article, rules: .defaults)
            #expect(entry.priceInclTax == gross)
            // The old model (net master) reaches this gross only if grossing the derived net gives it back.
            if try entry.priceExclTax.grossed(at: Rate(rate)!, rounding: .halfUp) != gross { unreachableFromNet += 1 }
        }
        if rate == "20.0" { #expect(unreachableFromNet > 20, "at 20 % many .99 prices have no net price that grosses to them") }
    }

    @Test("a price set excluding tax marks the price including tax as derived")
    func netMasterMarksGrossDerived() throws {
        let entry = try CatalogMapping.entry(for: Fixture.article(), rules: .defaults)
        #expect(entry.priceExclTax == Fixture.eur(1658))
        #expect(entry.derived == .inclTax)
        #expect(entry.priceLists.map(\.derived) == [.inclTax])
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let name: String
        let excl: Money?
        let incl: Money?
        let rowExcl: Money?
        let rowIncl: Money?
        let field: String
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(name: "neither base price is refused", excl: nil, incl: nil, rowExcl: Fixture.eur(1400), rowIncl: nil, field: "$.base_price_excl_tax"),
        Bad(name: "both base prices are refused", excl: Fixture.eur(833), incl: Fixture.eur(999), rowExcl: Fixture.eur(1400), rowIncl: nil, field: "$.base_price_incl_tax"),
        Bad(name: "a row with neither price is refused", excl: Fixture.eur(833), incl: nil, rowExcl: nil, rowIncl: nil, field: "$.price_lists[0].price_excl_tax"),
        Bad(name: "a row with both prices is refused", excl: nil, incl: Fixture.eur(999), rowExcl: Fixture.eur(800), rowIncl: Fixture.eur(960), field: "$.price_lists[0].price_incl_tax"),
    ]

    @Test(arguments: bad)
    func exactlyOneAmountPerPrice(_ rule: Bad) throws {
        let article = Fixture.article {
            $0.basePriceExclTax = rule.excl
            $0.basePriceInclTax = rule.incl
            $0.priceLists = [PriceListPrice(priceList: "B2B-GOLD", minimumQuantity: Quantity(10), priceExclTax: rule.rowExcl, priceInclTax: rule.rowIncl)]
        }
        do {
            _ = try MessageCodec().decode(ERPArticle.self, from: MessageCodec().encode(article))
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.path) == [rule.field])
            let text = error.problems.map(\.reason.description).joined()
            #expect(text.contains("exactly one of"), "\(text)")
            #expect(text.contains(rule.field.hasPrefix("$.base") ? "base_price_excl_tax and base_price_incl_tax" : "price_excl_tax and price_incl_tax"), "\(text)")
        }
    }

    @Test("version 1 is still read, through the registry, and publishes as before")
    func versionOneIsStillRead() throws {
        let v1 = ERPArticleV1(Fixture.article())
        let bytes = MessageCodec().encode(v1)
        let decoded = try MessageRegistry.standard.decode(messageType: "erp.article", version: 1, from: bytes)
        let input = FlowInput(envelope: Envelope(for: ERPArticleV1.self, id: "v1", source: "erp/test", time: Fixture.time),
                              message: decoded, key: "TSHIRT-BLU", topic: Topics.erpArticles)
        let run = Run()
        let outputs = try run.handle(input)
        let entry = try #require(outputs.first?.entry)
        #expect(entry.priceExclTax == Fixture.eur(1658) && entry.priceInclTax == Fixture.eur(1990) && entry.derived == .inclTax)
        // Version 1 requires the price excluding tax: a version-2 price including tax is not version 1.
        let v2Bytes = MessageCodec().encode(Fixture.article { $0.basePriceExclTax = nil; $0.basePriceInclTax = Fixture.eur(999) })
        #expect(throws: SchemaError.self) { try MessageRegistry.standard.decode(messageType: "erp.article", version: 1, from: v2Bytes) }
        #expect(try MessageRegistry.standard.decode(messageType: "erp.article", version: 2, from: v2Bytes) is ERPArticle)
    }
}
