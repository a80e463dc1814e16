import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// The validation rules, one table per sentence of the README.
@Suite("order-ingest: validation rules")
struct OrderChecksTests {
    struct CustomerCase: Sendable, CustomTestStringConvertible {
        let account: String?
        let expected: ERPCustomer?
        var testDescription: String { "\(account ?? "guest") → \(expected.map { "\($0.account)\($0.contact.map { "/\($0)" } ?? "")" } ?? "unknown customer")" }
    }

    @Test("the customer is resolved through the identity table; guests go to the guest account", arguments: [
        CustomerCase(account: nil, expected: ERPCustomer(account: "WEB-GUEST")),
        CustomerCase(account: "acc-1", expected: ERPCustomer(account: "C000001")),
        CustomerCase(account: "acc-b2b", expected: ERPCustomer(account: "C000777", contact: "CT-12")),
        CustomerCase(account: "acc-gone", expected: nil),
        CustomerCase(account: "acc-never-seen", expected: nil),
    ])
    func customer(_ row: CustomerCase) {
        let order = Shop.order("WEB-1", lines: [Shop.line(1, "MUG", "1", 699, "20")], account: row.account)
        switch OrderChecks.customer(of: order, identities: Shop.tables, rules: .defaults) {
        case .success(let customer): #expect(customer == row.expected)
        case .failure(let finding):
            #expect(row.expected == nil)
            #expect(finding.code == .unknownCustomer)
            #expect(finding.kind == .unknownCustomer)
        }
    }

    struct CatalogueCase: Sendable, CustomTestStringConvertible {
        let name: String
        let line: SiteOrderLine
        let code: AcceptanceReasonCode?
        var priceList: PriceListCode? = nil
        var placedAt: Instant = Shop.at(minutes: 600)
        var testDescription: String { name }
    }

    static let gold = CatalogPrice(priceList: "B2B-GOLD", minimumQuantity: Quantity(10), priceExclTax: Shop.money(1400), priceInclTax: Shop.money(1680),
                                   validFrom: LocalDate("2030-01-01"), validUntil: LocalDate("2030-12-31"))
    /// A public quantity price set including tax.
    static let threeForLess = CatalogPrice(priceList: "PUBLIC", minimumQuantity: Quantity(3), priceExclTax: Shop.money(1499), priceInclTax: Shop.money(1799), derived: .exclTax)
    /// A public promotion set including tax, 1 July to 31 October (the merchant's dates).
    static let summer = CatalogPrice(priceList: "PROMO", minimumQuantity: Quantity(1), priceExclTax: Shop.money(1249), priceInclTax: Shop.money(1499), derived: .exclTax,
                                     validFrom: LocalDate("2030-07-01"), validUntil: LocalDate("2030-10-31"))
    static let expired = CatalogPrice(priceList: "OLD", minimumQuantity: Quantity(1), priceExclTax: Shop.money(1000), priceInclTax: Shop.money(1200),
                                      validUntil: LocalDate("2029-12-31"))

    @Test("every SKU is sold by the published catalogue, at a price it publishes", arguments: [
        CatalogueCase(name: "an article's own SKU at its public price", line: Shop.line(1, "TEE", "1", 1999, "20"), code: nil),
        CatalogueCase(name: "a variant's SKU", line: Shop.line(1, "TEE-L", "2", 1999, "20"), code: nil),
        CatalogueCase(name: "a SKU nobody sells", line: Shop.line(1, "GHOST", "1", 1999, "20"), code: .unknownSku),
        CatalogueCase(name: "an unpublished article", line: Shop.line(1, "RETIRED", "1", 500, "20"), code: .unknownSku),
        CatalogueCase(name: "a price list price from its minimum quantity, on a valid day, for a customer of that list",
                      line: Shop.line(1, "TEE", "10", 1680, "20"), code: nil, priceList: "B2B-GOLD"),
        CatalogueCase(name: "a B2C order at a B2B list price is held", line: Shop.line(1, "TEE", "10", 1680, "20"), code: .priceMismatch),
        CatalogueCase(name: "a customer of another list at a B2B list price is held", line: Shop.line(1, "TEE", "10", 1680, "20"), code: .priceMismatch, priceList: "RESELLER"),
        CatalogueCase(name: "a public promotion is open to every customer", line: Shop.line(1, "TEE", "3", 1799, "20"), code: nil),
        CatalogueCase(name: "a promotion from 1 July, ordered 00:30 Paris time on 1 July (22:30 UTC on 30 June), is honoured",
                      line: Shop.line(1, "TEE", "1", 1499, "20"), code: nil, placedAt: Instant("2030-06-30T22:30:00Z")!),
        CatalogueCase(name: "a promotion from 1 July, ordered 23:30 Paris time on 30 June, is not yet on",
                      line: Shop.line(1, "TEE", "1", 1499, "20"), code: .priceMismatch, placedAt: Instant("2030-06-30T21:30:00Z")!),
        CatalogueCase(name: "a promotion until 31 October, ordered 00:30 Paris time on 1 November (23:30 UTC, after the autumn change), is over",
                      line: Shop.line(1, "TEE", "1", 1499, "20"), code: .priceMismatch, placedAt: Instant("2030-10-31T23:30:00Z")!),
        CatalogueCase(name: "a promotion until 31 October, ordered 23:30 Paris time on 31 October (22:30 UTC), is on",
                      line: Shop.line(1, "TEE", "1", 1499, "20"), code: nil, placedAt: Instant("2030-10-31T22:30:00Z")!),
        CatalogueCase(name: "a price list price below its minimum quantity", line: Shop.line(1, "TEE", "9", 1680, "20"), code: .priceMismatch, priceList: "B2B-GOLD"),
        CatalogueCase(name: "an expired price list price", line: Shop.line(1, "TEE", "1", 1200, "20"), code: .priceMismatch),
        CatalogueCase(name: "a price the catalogue never published", line: Shop.line(1, "TEE", "1", 1799, "20"), code: .priceMismatch),
    ])
    func catalogue(_ row: CatalogueCase) {
        var entries = Dictionary(uniqueKeysWithValues: Shop.catalogue.map { ($0.sku, $0) })
        entries["TEE"]?.priceLists = [Self.gold, Self.expired, Self.threeForLess, Self.summer]
        let order = Shop.order("WEB-1", lines: [row.line], placedAt: row.placedAt)
        let customer = ERPCustomer(account: "C000001", priceList: row.priceList)
        let findings = OrderChecks.catalogue(of: order, entries: { sku in
            entries[sku] ?? entries.values.first { $0.variants.contains { $0.sku == sku } }
        }, customer: customer, rules: .defaults)
        #expect(findings.map(\.code) == (row.code.map { [$0] } ?? []))
        if let finding = findings.first, row.code == .priceMismatch {
            #expect(finding.message.contains(Shop.money(row.line.unitPriceInclTax.amount).description) && finding.message.contains("19.99 EUR"),
                    "the reason shows both figures: \(finding.message)")
        }
        #expect(findings.allSatisfy { $0.lineNumber == 1 })
    }

    @Test("the price check can be turned off")
    func noPriceCheck() {
        let order = Shop.order("WEB-1", lines: [Shop.line(1, "TEE", "1", 1799, "20")])
        var rules = OrderIngestRules.defaults
        rules.checkCatalogPrices = false
        #expect(OrderChecks.catalogue(of: order, entries: { _ in Shop.catalogue[0] }, customer: nil, rules: rules).isEmpty)
    }

    @Test("the catalogue table is read by variant SKU too, and an unpublished article is unknown")
    func catalogueTable() throws {
        var catalogue = Dictionary(uniqueKeysWithValues: Shop.catalogue.map { ($0.sku.rawValue, $0 as any BusMessage) })
        catalogue["RETIRED"] = CatalogUnpublish(sku: "RETIRED", reason: .obsolete, unpublishedAt: Shop.at(minutes: 0))
        let tables = StaticTables([Topics.shopCatalog: catalogue, Topics.customerIdentity: [:]])
        let bench = OrderBench(tables: tables)
        let order = Shop.order("WEB-1", lines: [Shop.line(1, "TEE-S", "1", 1999, "20"), Shop.line(2, "RETIRED", "1", 500, "20")], account: nil)
        let held = try bench.place(order).messages(OrderAcceptance.self)
        #expect(held.first?.reasons.map(\.code) == [.unknownSku])
        #expect(held.first?.reasons.first?.lineNumber == 2)
    }

    struct ArithmeticCase: Sendable, CustomTestStringConvertible {
        let name: String
        let line: SiteOrderLine
        let totalCents: Int64?
        let holds: Bool
        var testDescription: String { name }
    }

    @Test("line arithmetic: quantity × unit price − discounts is the line total, to the cent", arguments: [
        ArithmeticCase(name: "3 × 19.99 = 59.97", line: Shop.line(1, "TEE", "3", 1999, "20"), totalCents: nil, holds: false),
        ArithmeticCase(name: "7 × 3.99 − 10 % (2.79) = 25.14", line: Shop.line(1, "BOOK", "7", 399, "5.5", percentOff: "10"), totalCents: nil, holds: false),
        ArithmeticCase(name: "2.5 × 17.90 = 44.75", line: Shop.line(1, "BEANS", "2.5", 1790, "5.5"), totalCents: nil, holds: false),
        ArithmeticCase(name: "0.333 × 0.99 = 0.32967 → 0.33", line: Shop.line(1, "CANDY", "0.333", 99, "20"), totalCents: nil, holds: false),
        ArithmeticCase(name: "3 × 8.49 − 5.00 = 20.47", line: Shop.line(1, "COFFEE", "3", 849, "10", amountOffCents: 500), totalCents: nil, holds: false),
        ArithmeticCase(name: "3 × 19.99 said to be 59.96", line: Shop.line(1, "TEE", "3", 1999, "20"), totalCents: 5996, holds: true),
        ArithmeticCase(name: "7 × 3.99 said to be 27.93 despite its discount", line: Shop.line(1, "BOOK", "7", 399, "5.5", percentOff: "10"), totalCents: 2793, holds: true),
    ])
    func lineArithmetic(_ row: ArithmeticCase) throws {
        var line = row.line
        if let cents = row.totalCents { line.totalInclTax = Shop.money(cents) }
        let findings = try OrderChecks.lineArithmetic(of: Shop.order("WEB-1", lines: [line]))
        #expect(findings.isEmpty == !row.holds)
        #expect(findings.allSatisfy { $0.code == .priceMismatch && $0.lineNumber == 1 && $0.details["found_total"] != nil })
    }

    struct AddressCase: Sendable, CustomTestStringConvertible {
        let name: String
        let address: PostalAddress
        let missing: [String]
        var testDescription: String { name }
    }

    @Test("addresses are complete: someone to address, a street, a city, a postal code where the country has them", arguments: [
        AddressCase(name: "complete", address: Shop.address, missing: []),
        AddressCase(name: "a company instead of a name", address: PostalAddress(companyName: "Relais Tabac", lines: ["3 avenue Parmentier"], postalCode: "75011", city: "Paris", country: Shop.france), missing: []),
        AddressCase(name: "nobody to address", address: PostalAddress(lines: ["3 avenue Parmentier"], postalCode: "75011", city: "Paris", country: Shop.france), missing: ["recipient_name"]),
        AddressCase(name: "blank street and city", address: PostalAddress(recipientName: "C. M.", lines: ["  "], postalCode: "75011", city: " ", country: Shop.france), missing: ["lines", "city"]),
        AddressCase(name: "no postal code in France", address: PostalAddress(recipientName: "C. M.", lines: ["1 rue"], city: "Paris", country: Shop.france), missing: ["postal_code"]),
        AddressCase(name: "no postal code in Hong Kong", address: PostalAddress(recipientName: "C. M.", lines: ["1 Queen's Road"], city: "Hong Kong", country: CountryCode("HK")!), missing: []),
    ])
    func addresses(_ row: AddressCase) {
        #expect(OrderChecks.missingParts(of: row.address, rules: .defaults) == row.missing)
        let findings = OrderChecks.addresses(of: Shop.order("WEB-1", lines: [Shop.line(1, "MUG", "1", 699, "20")], delivery: row.address), rules: .defaults)
        #expect(findings.map(\.details) == (row.missing.isEmpty ? [] : [["address": "delivery_address", "missing": row.missing.joined(separator: ",")]]))
        #expect(findings.allSatisfy { $0.code == .invalidAddress && !$0.message.contains("Paris") }, "no address content in the reason")
    }

    @Test("totals that do not add up, or two currencies, never reach the flow: the schema refuses them with the JSON path")
    func schemaRules() {
        var order = Shop.order("WEB-1", lines: [Shop.line(1, "MUG", "2", 699, "20")], shipping: [Shop.shipping(490)])
        order.totals.totalInclTax = Shop.money(order.totals.totalInclTax.amount + 1)
        #expect(order.validate().contains { $0.path == "$.totals.total_incl_tax" })
        var mixed = Shop.order("WEB-1", lines: [Shop.line(1, "MUG", "2", 699, "20")])
        mixed.lines[0].unitPriceInclTax = Money(amount: 699, currency: .usd)
        #expect(mixed.validate().contains { $0.path == "$.lines[0].unit_price_incl_tax.currency" })
    }
}
