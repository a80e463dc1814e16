import ArticlePublisherFlow
import BusSchema
import Testing

/// "The catalogue entry carries the price excl. tax and incl. tax (base × (1 + VAT rate), rounded
/// half-up to the currency's minor unit by default, configurable), and B2B price lists as they are."
@Suite("article-publisher: prices")
struct PriceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let net: Money
        let rate: String
        let rounding: RoundingMode
        let gross: Int64
        var testDescription: String { "\(net) at \(rate) % rounded \(rounding.rawValue) is \(gross) minor units" }
    }

    static func eur(_ cents: Int64) -> Money { Fixture.eur(cents) }

    static let cases: [Case] = [
        // 20 %
        Case(net: eur(1658), rate: "20.0", rounding: .halfUp, gross: 1990),    // 1989.6
        Case(net: eur(1658), rate: "20.0", rounding: .down, gross: 1989),
        Case(net: eur(1000), rate: "20", rounding: .halfUp, gross: 1200),
        // 5.5 %
        Case(net: eur(999), rate: "5.5", rounding: .halfUp, gross: 1054),      // 1053.945
        Case(net: eur(100), rate: "5.5", rounding: .halfUp, gross: 106),       // 105.5: a tie goes up
        Case(net: eur(300), rate: "5.5", rounding: .halfUp, gross: 317),       // 316.5
        Case(net: eur(300), rate: "5.5", rounding: .halfEven, gross: 316),     // 316.5: a tie goes to even
        Case(net: eur(100), rate: "5.5", rounding: .down, gross: 105),
        // 2.1 %
        Case(net: eur(1290), rate: "2.1", rounding: .halfUp, gross: 1317),     // 1317.09
        Case(net: eur(500), rate: "2.1", rounding: .halfUp, gross: 511),       // 510.5
        Case(net: eur(500), rate: "2.1", rounding: .halfEven, gross: 510),
        // 0 %
        Case(net: eur(1658), rate: "0", rounding: .halfUp, gross: 1658),
        Case(net: eur(1658), rate: "0.0", rounding: .down, gross: 1658),
        // A currency without minor units rounds to the unit.
        Case(net: Money(amount: 105, currency: .jpy), rate: "5.5", rounding: .halfUp, gross: 111),  // 110.775
    ]

    @Test(arguments: cases)
    func priceIncludingTax(_ rule: Case) throws {
        var rules = ArticlePublisherRules.defaults
        rules.rounding = rule.rounding
        let article = Fixture.article {
            $0.vatRate = Rate(rule.rate)!
            $0.basePriceExclTax = rule.net
            $0.priceLists = [PriceListPrice(priceList: "B2B-GOLD", minimumQuantity: Quantity("1")!, priceExclTax: rule.net)]
        }
        let entry = try CatalogMapping.entry(for: article, rules: rules)
        #expect(entry.priceExclTax == rule.net)
        #expect(entry.priceInclTax == Money(amount: rule.gross, currency: rule.net.currency))
        #expect(entry.priceLists.map(\.priceInclTax) == [Money(amount: rule.gross, currency: rule.net.currency)], "price list rows are grossed the same way")
    }

    @Test("price list rows keep their list, minimum quantity, net price and validity, in the ERP's order")
    func priceListsAsTheyAre() throws {
        let rows = [
            PriceListPrice(priceList: "B2B-GOLD", minimumQuantity: Quantity("10")!, priceExclTax: Fixture.eur(1400),
                           validFrom: LocalDate("2024-05-01"), validUntil: LocalDate("2024-12-31")),
            PriceListPrice(priceList: "B2B-GOLD", minimumQuantity: Quantity("1")!, priceExclTax: Fixture.eur(1500)),
            PriceListPrice(priceList: "RESELLER", minimumQuantity: Quantity("2.500")!, priceExclTax: Fixture.eur(1250)),
        ]
        let entry = try CatalogMapping.entry(for: Fixture.article { $0.priceLists = rows }, rules: .defaults)
        #expect(entry.priceLists.map(\.priceList) == rows.map(\.priceList))
        #expect(entry.priceLists.map(\.minimumQuantity) == rows.map(\.minimumQuantity))
        #expect(entry.priceLists.map(\.priceExclTax) == rows.map(\.priceExclTax))
        #expect(entry.priceLists.map(\.validFrom) == rows.map(\.validFrom))
        #expect(entry.priceLists.map(\.validUntil) == rows.map(\.validUntil))
        #expect(entry.priceLists.map(\.priceInclTax.amount) == [1680, 1800, 1500])
        #expect(entry.validate().isEmpty, "the entry passes its own schema rules")
    }

    @Test("a price whose gross does not fit is refused, naming the field")
    func overflow() {
        let article = Fixture.article { $0.basePriceExclTax = Money(amount: Int64.max - 1, currency: .eur) }
        #expect(throws: FlowRejection(field: "$.base_price_excl_tax", reason: "the derived price does not fit in 64-bit minor units")) {
            try CatalogMapping.entry(for: article, rules: .defaults)
        }
    }
}
