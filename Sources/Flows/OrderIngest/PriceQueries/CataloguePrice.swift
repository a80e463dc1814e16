import BusSchema

/// What the bus knows of a customer's price without the ERP: the published catalogue's
/// public price and the rows of the price lists the customer may use (the account's own,
/// from the identity table, and the rules' `public_price_lists`) that apply to the quantity
/// on the merchant's day. The lowest excluding tax wins, as the site would sell it.
enum CataloguePrice {
    /// The indicative line for `line`, or nil when no published entry sells the SKU.
    static func line(_ line: PriceQueryLine, entry: CatalogEntry?, priceList: PriceListCode?, day: LocalDate,
                     publicLists: [PriceListCode]) throws(SchemaError) -> PricedLine? {
        guard let entry else { return nil }
        var entitled = Set(publicLists)
        if let priceList { entitled.insert(priceList) }
        var best = PricedLine(sku: line.sku, quantity: line.quantity, unitPriceExclTax: entry.priceExclTax, unitPriceInclTax: entry.priceInclTax)
        for row in applying(entry.priceLists, to: line.quantity, on: day) where entitled.contains(row.priceList)
            && row.priceExclTax.amount < best.unitPriceExclTax.amount {
            best = PricedLine(sku: line.sku, quantity: line.quantity, unitPriceExclTax: row.priceExclTax, unitPriceInclTax: row.priceInclTax,
                              priceList: row.priceList, minimumQuantity: row.minimumQuantity)
        }
        return try best.totalled()
    }

    /// The quantity break of `quantity` for `priceList` on `day`: the largest minimum quantity
    /// of its rows that applies (zero when none does). Two quantities in one break get one price.
    static func quantityBreak(_ quantity: Quantity, entry: CatalogEntry?, priceList: PriceListCode?, day: LocalDate) -> Quantity {
        guard let entry, let priceList else { return .zero }
        return applying(entry.priceLists, to: quantity, on: day).filter { $0.priceList == priceList }.map(\.minimumQuantity).max() ?? .zero
    }

    /// The rows valid on `day` whose minimum quantity `quantity` reaches.
    private static func applying(_ rows: [CatalogPrice], to quantity: Quantity, on day: LocalDate) -> [CatalogPrice] {
        rows.filter { $0.minimumQuantity <= quantity && $0.validFrom.map { $0 <= day } != false && $0.validUntil.map { day <= $0 } != false }
    }
}
