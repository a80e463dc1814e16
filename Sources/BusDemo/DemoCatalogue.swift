import BusSchema

/// One SKU the ERP stocks and, when `sold`, the site sells: its prices as the site will see
/// them (the price the ERP set, including tax for B2C articles, and the other derived half-up
/// at the VAT rate) and its stock at opening time.
struct StockedItem: Sendable {
    let sku: SKU
    /// The ERP article it belongs to (itself for a simple article).
    let article: SKU
    let vatRate: Rate
    let unitExclTax: Money
    let unitInclTax: Money
    /// The B2B price list row, when the article has one: from `minimum` units.
    let priceList: (minimum: Int, exclTax: Money, inclTax: Money)?
    /// On hand per warehouse at opening.
    let openingStock: [WarehouseCode: Int]
    /// Receipts expected, per warehouse.
    let incoming: [WarehouseCode: [IncomingStock]]
    let backorderAllowed: Bool
    /// Whether the day's orders may buy it (online, in stock, and not about to go obsolete).
    let sold: Bool
}

/// The ERP's catalogue for the day: articles with variants, three VAT rates, B2C prices set
/// including tax and ending in .99 (9.99 € at 20 % has no price excluding tax that grosses to
/// it), one B2B article priced excluding tax, a B2B price list, an article the site must never
/// show, one made obsolete at noon, one out of stock with a receipt date, one on backorder.
struct DemoCatalogue: Sendable {
    static let priceList = PriceListCode("B2B-GOLD")
    /// The article the ERP makes obsolete during the day.
    let obsoleteArticle: SKU

    /// Every article, as the ERP publishes them at opening.
    let articles: [ERPArticle]
    /// Every stocked SKU (variants, simple articles).
    let items: [StockedItem]
    /// Articles the site must show at the end of the day.
    let shownAtClose: Set<SKU>
    /// Articles the site must have been told to take off.
    let unpublishedAtClose: Set<SKU>
    /// Articles the site must never be shown.
    let neverShown: Set<SKU>

    /// The catalogue, with opening stock drawn from `random` (times `stockScale` for long days).
    init(clock: DayClock, random: inout SeededRandom, stockScale: Int, run: RunTag) throws {
        obsoleteArticle = SKU(run.tagged("MUG-ENAMEL-RED"))
        let standard = try DemoValues.standardRate(), intermediate = try DemoValues.intermediateRate(), reduced = try DemoValues.reducedRate()
        struct Model {
            var sku: String, family: String, category: String, fr: String, en: String
            let rate: Rate, cents: Int64, variants: [(suffix: String, size: String, web: Bool)]
            var priceList: (Int, Int64)? = nil
            /// Whether `cents` is the price including tax (B2C) or excluding it.
            var inclTax = true
            var web = true
            var stock: StockProfile = .normal
        }
        enum StockProfile { case normal, scarce, awaitingReceipt, backorder }
        let untagged: [Model] = [
            Model(sku: "TSHIRT-NAVY", family: "TEXTILE", category: "tops", fr: "T-shirt coton bio, marine", en: "Organic cotton T-shirt, navy",
                  rate: standard, cents: 1658, variants: [("S", "S", true), ("M", "M", true), ("L", "L", true), ("XL", "XL", false)], priceList: (10, 1400),
                  inclTax: false),
            Model(sku: "TSHIRT-SAND", family: "TEXTILE", category: "tops", fr: "T-shirt coton bio, sable", en: "Organic cotton T-shirt, sand",
                  rate: standard, cents: 1999, variants: [("S", "S", true), ("M", "M", true), ("L", "L", true)]),
            Model(sku: "HOODIE-GREY", family: "TEXTILE", category: "sweats", fr: "Sweat à capuche gris", en: "Grey hoodie",
                  rate: standard, cents: 4999, variants: [("M", "M", true), ("L", "L", true)]),
            Model(sku: "MUG-WHITE", family: "HOME", category: "kitchen", fr: "Mug céramique blanc", en: "White ceramic mug",
                  rate: standard, cents: 999, variants: [], priceList: (12, 700)),
            Model(sku: "MUG-ENAMEL-RED", family: "HOME", category: "kitchen", fr: "Mug émaillé rouge", en: "Red enamel mug",
                  rate: standard, cents: 1199, variants: []),
            Model(sku: "CANDLE-FIG", family: "HOME", category: "decoration", fr: "Bougie parfumée figue", en: "Fig scented candle",
                  rate: standard, cents: 1799, variants: [], stock: .scarce),
            Model(sku: "BOOK-COFFEE-ATLAS", family: "BOOKS", category: "books", fr: "Atlas du café", en: "The coffee atlas",
                  rate: reduced, cents: 2999, variants: []),
            Model(sku: "BOOK-TEA-GUIDE", family: "BOOKS", category: "books", fr: "Guide du thé", en: "The tea guide",
                  rate: reduced, cents: 1999, variants: []),
            Model(sku: "TEA-SENCHA-100G", family: "GROCERY", category: "tea", fr: "Thé vert sencha 100 g", en: "Sencha green tea 100 g",
                  rate: reduced, cents: 899, variants: []),
            Model(sku: "COFFEE-BEANS-1KG", family: "GROCERY", category: "coffee", fr: "Café en grains 1 kg", en: "Coffee beans 1 kg",
                  rate: reduced, cents: 2499, variants: [], priceList: (10, 2100)),
            Model(sku: "PLANT-OLIVE-TREE", family: "GARDEN", category: "plants", fr: "Olivier en pot", en: "Potted olive tree",
                  rate: intermediate, cents: 3999, variants: []),
            Model(sku: "PLANT-BASIL-POT", family: "GARDEN", category: "plants", fr: "Basilic en pot", en: "Potted basil",
                  rate: intermediate, cents: 499, variants: []),
            Model(sku: "LAMP-BRASS", family: "HOME", category: "lighting", fr: "Lampe laiton", en: "Brass lamp",
                  rate: standard, cents: 9900, variants: [], web: false),
            Model(sku: "TEAPOT-CAST-IRON", family: "HOME", category: "kitchen", fr: "Théière en fonte", en: "Cast iron teapot",
                  rate: standard, cents: 5499, variants: [], stock: .awaitingReceipt),
            Model(sku: "CHAIR-RATTAN", family: "HOME", category: "furniture", fr: "Chaise en rotin", en: "Rattan chair",
                  rate: standard, cents: 14999, variants: [], stock: .backorder),
        ]
        let models = untagged.map { model in
            var tagged = model
            tagged.sku = run.tagged(model.sku)
            return tagged
        }
        let opening = try clock.at(hour: 6)
        let fr = try DemoValues.language("fr"), en = try DemoValues.language("en")
        var articles: [ERPArticle] = []
        var items: [StockedItem] = []
        for model in models {
            let price = DemoValues.euros(model.cents)
            let rows = model.priceList.map { [PriceListPrice(priceList: Self.priceList, minimumQuantity: DemoValues.quantity($0.0),
                                                             priceExclTax: DemoValues.euros($0.1))] } ?? []
            articles.append(ERPArticle(
                sku: SKU(model.sku), status: .active, webEnabled: model.web, shortLabels: [fr: model.fr, en: model.en],
                longDescriptions: [fr: "\(model.fr), sélectionné par notre équipe.", en: "\(model.en), chosen by our team."],
                family: Code(model.family), categories: [Code(model.category)],
                variants: model.variants.map { ArticleVariant(sku: SKU("\(model.sku)-\($0.suffix)"), options: ["size": $0.size], webEnabled: $0.web) },
                images: [ImageReference(url: "https://media.example.com/articles/\(model.sku)/front.jpg", position: 1)],
                unit: "C62", vatRate: model.rate, basePriceExclTax: model.inclTax ? nil : price, basePriceInclTax: model.inclTax ? price : nil,
                priceLists: rows, weightKg: Quantity("0.500"), updatedAt: opening))
            // The site shows the price set exactly; the other is derived as article-publisher does.
            let base = model.inclTax ? try price.netted(at: model.rate, rounding: .halfUp) : price
            let incl = model.inclTax ? price : try price.grossed(at: model.rate, rounding: .halfUp)
            let priceList = try model.priceList.map { row throws -> (minimum: Int, exclTax: Money, inclTax: Money) in
                let excl = DemoValues.euros(row.1)
                return (row.0, excl, try excl.grossed(at: model.rate, rounding: .halfUp))
            }
            let skus = model.variants.isEmpty ? [(SKU(model.sku), true)] : model.variants.map { (SKU("\(model.sku)-\($0.suffix)"), $0.web) }
            for (sku, variantOnline) in skus {
                var stock: [WarehouseCode: Int] = [:]
                var incoming: [WarehouseCode: [IncomingStock]] = [:]
                let lyon = DemoValues.warehouses[0], paris = DemoValues.warehouses[1]
                switch model.stock {
                case .normal:
                    stock = [lyon: random.int(in: 30...80) * stockScale, paris: random.int(in: 0...30) * stockScale]
                case .scarce:
                    stock = [lyon: 4, paris: 3]
                case .awaitingReceipt:
                    stock = [lyon: 0, paris: 0]
                    incoming[lyon] = [IncomingStock(quantity: DemoValues.quantity(40), expectedOn: try clock.date(plus: 5))]
                case .backorder:
                    stock = [lyon: 0, paris: 0]
                    incoming[paris] = [IncomingStock(quantity: DemoValues.quantity(12), expectedOn: try clock.date(plus: 12))]
                }
                let sold = model.web && variantOnline && model.stock != .awaitingReceipt && model.stock != .backorder && SKU(model.sku) != obsoleteArticle
                items.append(StockedItem(sku: sku, article: SKU(model.sku), vatRate: model.rate, unitExclTax: base, unitInclTax: incl,
                                         priceList: priceList, openingStock: stock, incoming: incoming,
                                         backorderAllowed: model.stock == .backorder, sold: sold))
            }
        }
        self.articles = articles
        self.items = items
        neverShown = Set(models.filter { !$0.web }.map { SKU($0.sku) })
        unpublishedAtClose = [obsoleteArticle]
        shownAtClose = Set(models.filter(\.web).map { SKU($0.sku) }).subtracting(unpublishedAtClose)
    }

    /// The stocked item for `sku`.
    func item(_ sku: SKU) -> StockedItem? {
        items.first { $0.sku == sku }
    }

    /// The article as the ERP sends it when it makes it obsolete.
    func obsoleted(at time: Instant) -> ERPArticle? {
        guard var article = articles.first(where: { $0.sku == obsoleteArticle }) else { return nil }
        article.status = .obsolete
        article.updatedAt = time
        return article
    }
}
