import BusSchema
import OrderIngestFlow
import Testing

/// "check_catalog_prices accepts a price-list price only for a customer entitled to that
/// list, through the ERP account's price list in the identity table. A B2C order at a
/// wholesale price is held." Through the flow, with the tables as order-ingest reads them.
@Suite("order-ingest: the customer's own prices")
struct PriceEntitlementTests {
    static let gold = CatalogPrice(priceList: "B2B-GOLD", minimumQuantity: Quantity(10), priceExclTax: Shop.money(1400), priceInclTax: Shop.money(1680))

    static var tables: StaticTables {
        var catalogue = Shop.catalogue
        catalogue[0].priceLists = [gold]
        var b2b = Shop.link("acc-b2b", "C000777", contact: "CT-12")
        b2b.priceList = "B2B-GOLD"
        let links = [Shop.link("acc-1", "C000001"), b2b]
        return StaticTables([
            Topics.shopCatalog: Dictionary(uniqueKeysWithValues: catalogue.map { ($0.sku.rawValue, $0 as any BusMessage) }),
            Topics.customerIdentity: Dictionary(uniqueKeysWithValues: links.map { ($0.siteAccountID.rawValue, $0 as any BusMessage) }),
        ])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let account: String?
        let accepted: Bool
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "the B2B account whose identity link carries B2B-GOLD buys at the list price", account: "acc-b2b", accepted: true),
        Case(name: "a B2C account (no price list) at the B2B list price is held", account: "acc-1", accepted: false),
        Case(name: "a guest at the B2B list price is held", account: nil, accepted: false),
    ])
    func listPriceNeedsEntitlement(_ row: Case) throws {
        let bench = OrderBench(tables: Self.tables)
        let order = Shop.order("WEB-1", lines: [Shop.line(1, "TEE-M", "10", 1680, "20")], account: row.account)
        let outputs = try bench.place(order)
        let acceptance = try #require(outputs.messages(OrderAcceptance.self).first)
        #expect(acceptance.status == (row.accepted ? .accepted : .held))
        #expect(outputs.messages(ERPSalesOrder.self).count == (row.accepted ? 1 : 0))
        if !row.accepted {
            #expect(acceptance.reasons.map(\.code) == [.priceMismatch])
            let reason = try #require(acceptance.reasons.first?.message)
            #expect(reason.contains("16.80 EUR") && reason.contains("19.99 EUR") && reason.contains("B2B-GOLD"), "both figures and the list: \(reason)")
        }
    }
}
