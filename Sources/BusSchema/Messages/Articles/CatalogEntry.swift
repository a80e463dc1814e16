/// What the site shows for one article, from article-publisher (topic `shop.catalog`, key: the SKU).
/// Sent whole each time. Prices are given both excluding and including tax, so the site never recomputes them: the amount
/// the merchant set in the ERP is carried exactly, the other is derived by the bus and named in `derived`.
public struct CatalogEntry: BusMessage {
    /// "shop.catalog-entry".
    public static let messageType = "shop.catalog-entry"
    /// Version 1.
    public static let schemaVersion = 1
    /// What the site shows for one article, prices computed by the bus.
    public static let summary = "What the site shows for one article, prices computed by the bus."

    /// The SKU; the record key.
    public var sku: SKU
    /// The product name per language.
    public var name: [LanguageCode: String]
    /// The long description per language.
    public var description: [LanguageCode: String]?
    /// The site categories.
    public var categories: [Code]
    /// The GTIN barcode.
    public var gtin: String?
    /// The variants on sale, each with its own SKU; empty for a simple article.
    public var variants: [CatalogVariant]
    /// Pictures, in display order.
    public var images: [ImageReference]
    /// The sales unit.
    public var unit: Code
    /// The VAT rate in percent.
    public var vatRate: Rate
    /// The public unit price excluding tax.
    public var priceExclTax: Money
    /// The public unit price including tax.
    public var priceInclTax: Money
    /// Which of the two public prices the bus derived from the other: `incl_tax` when the ERP set the price
    /// excluding tax (grossed by vat_rate), `excl_tax` when it set it including tax (netted by vat_rate);
    /// both rounded to the minor unit with the configured mode.
    public var derived: PriceBasis?
    /// Prices for customer price groups.
    public var priceLists: [CatalogPrice]
    /// When this version was published.
    public var publishedAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        sku: SKU,
        name: [LanguageCode: String],
        description: [LanguageCode: String]? = nil,
        categories: [Code],
        gtin: String? = nil,
        variants: [CatalogVariant],
        images: [ImageReference],
        unit: Code,
        vatRate: Rate,
        priceExclTax: Money,
        priceInclTax: Money,
        derived: PriceBasis? = nil,
        priceLists: [CatalogPrice],
        publishedAt: Instant
    ) {
        self.sku = sku
        self.name = name
        self.description = description
        self.categories = categories
        self.gtin = gtin
        self.variants = variants
        self.images = images
        self.unit = unit
        self.vatRate = vatRate
        self.priceExclTax = priceExclTax
        self.priceInclTax = priceInclTax
        self.derived = derived
        self.priceLists = priceLists
        self.publishedAt = publishedAt
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case name
        case description
        case categories
        case gtin
        case variants
        case images
        case unit
        case vatRate = "vat_rate"
        case priceExclTax = "price_excl_tax"
        case priceInclTax = "price_incl_tax"
        case derived
        case priceLists = "price_lists"
        case publishedAt = "published_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("sku", .ref(.sku), "The SKU; the record key."),
        .required("name", .ref(.localizedText), "The product name per language."),
        .optional("description", .ref(.localizedText), "The long description per language."),
        .required("categories", .list(.ref(.code)), "The site categories."),
        .optional("gtin", .ref(.gtin), "The GTIN barcode."),
        .required("variants", .list(CatalogVariant.schema), "The variants on sale, each with its own SKU; empty for a simple article."),
        .required("images", .list(ImageReference.schema), "Pictures, in display order."),
        .required("unit", .ref(.unitCode), "The sales unit."),
        .required("vat_rate", .percentage, "The VAT rate in percent."),
        .required("price_excl_tax", .money(.nonNegative), "The public unit price excluding tax."),
        .required("price_incl_tax", .money(.nonNegative), "The public unit price including tax."),
        .optional("derived", .oneOf(PriceBasis.self), "Which of the two public prices the bus derived from the other: incl_tax when the ERP set the price excluding tax, excl_tax when it set it including tax; the other is exactly the ERP's."),
        .required("price_lists", .list(CatalogPrice.schema), "Prices for customer price groups."),
        .required("published_at", .instant, "When this version was published.")
    )

    /// Each price's two amounts agree with the VAT rate (to one minor unit, whichever was derived), in one currency.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        let currency = priceExclTax.currency
        check.currency(priceInclTax, currency, root.key("price_incl_tax"))
        Self.checkGross(&check, priceExclTax, priceInclTax, vatRate, root.key("price_incl_tax"))
        for (index, price) in priceLists.enumerated() {
            let path = root.key("price_lists").index(index)
            check.currency(price.priceExclTax, currency, path.key("price_excl_tax"))
            check.currency(price.priceInclTax, currency, path.key("price_incl_tax"))
            Self.checkGross(&check, price.priceExclTax, price.priceInclTax, vatRate, path.key("price_incl_tax"))
        }
        check.unique(variants.map(\.sku) + [sku], { root.key("variants").index($0).key("sku") }, "SKU")
        return check.problems
    }

    /// Reports a mismatch unless `gross` is `net` grossed by `rate`, within one minor unit.
    private static func checkGross(_ check: inout RuleCheck, _ net: Money, _ gross: Money, _ rate: Rate, _ path: JSONPath) {
        guard net.currency == gross.currency, let expected = try? net.grossed(at: rate, rounding: .halfUp) else { return }
        check.expect(abs(Int128(expected.amount) - Int128(gross.amount)) <= 1, path,
                     .totalsMismatch(rule: "the price including tax must be the price excluding tax plus VAT at vat_rate"))
    }
}

/// A variant as the site shows it.
public struct CatalogVariant: Codable, Sendable, Hashable {
    /// The variant's SKU.
    public var sku: SKU
    /// Its option values by option name.
    public var options: [String: String]
    /// Its GTIN barcode.
    public var gtin: String?

    /// A value with every field given; optional fields default to absent.
    public init(sku: SKU, options: [String: String], gtin: String? = nil) {
        self.sku = sku
        self.options = options
        self.gtin = gtin
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case options
        case gtin
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("sku", .ref(.sku), "The variant's SKU."),
        .required("options", .map(keys: StringRule(maximumLength: 64, pattern: "^[a-z][a-z0-9_]{0,63}$", patternName: "an option name such as color"), values: .text(maximumLength: 100), minimumCount: 1), "Its option values by option name."),
        .optional("gtin", .ref(.gtin), "Its GTIN barcode.")
    )
}

/// A price for one customer price group.
public struct CatalogPrice: Codable, Sendable, Hashable {
    /// The price list (customer price group).
    public var priceList: PriceListCode
    /// The quantity from which the price applies.
    public var minimumQuantity: Quantity
    /// The unit price excluding tax.
    public var priceExclTax: Money
    /// The unit price including tax.
    public var priceInclTax: Money
    /// Which of the two the bus derived from the other (see `CatalogEntry.derived`).
    public var derived: PriceBasis?
    /// The first day it applies.
    public var validFrom: LocalDate?
    /// The last day it applies.
    public var validUntil: LocalDate?

    /// A value with every field given; optional fields default to absent.
    public init(
        priceList: PriceListCode,
        minimumQuantity: Quantity,
        priceExclTax: Money,
        priceInclTax: Money,
        derived: PriceBasis? = nil,
        validFrom: LocalDate? = nil,
        validUntil: LocalDate? = nil
    ) {
        self.priceList = priceList
        self.minimumQuantity = minimumQuantity
        self.priceExclTax = priceExclTax
        self.priceInclTax = priceInclTax
        self.derived = derived
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    private enum CodingKeys: String, CodingKey {
        case priceList = "price_list"
        case minimumQuantity = "minimum_quantity"
        case priceExclTax = "price_excl_tax"
        case priceInclTax = "price_incl_tax"
        case derived
        case validFrom = "valid_from"
        case validUntil = "valid_until"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("price_list", .ref(.priceListCode), "The price list (customer price group)."),
        .required("minimum_quantity", .positiveQuantity, "The quantity from which the price applies."),
        .required("price_excl_tax", .money(.nonNegative), "The unit price excluding tax."),
        .required("price_incl_tax", .money(.nonNegative), "The unit price including tax."),
        .optional("derived", .oneOf(PriceBasis.self), "Which of the two the bus derived from the other: incl_tax or excl_tax."),
        .optional("valid_from", .date, "The first day it applies."),
        .optional("valid_until", .date, "The last day it applies.")
    )
}
