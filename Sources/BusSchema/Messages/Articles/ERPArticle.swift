/// An article as the ERP holds it, published on every change (topic `erp.articles`, key: the SKU).
/// Sent whole each time; article-publisher turns web-enabled active articles into catalog entries.
///
/// Version 2 lets the merchant set each price excluding or including tax (exactly one of the
/// two per price); version 1, where prices are always excluding tax, is still read
/// (`ERPArticleV1`) and means the same as a version 2 giving the excluding-tax fields.
public struct ERPArticle: BusMessage {
    /// "erp.article".
    public static let messageType = "erp.article"
    /// Version 2.
    public static let schemaVersion = 2
    /// An article as the ERP holds it, sent whole on every change.
    public static let summary = "An article as the ERP holds it, sent whole on every change."

    /// The article's SKU; the record key.
    public var sku: SKU
    /// active, or obsolete (no longer sold).
    public var status: ArticleStatus
    /// Whether the article may be sold on the site.
    public var webEnabled: Bool
    /// The short label per language (the product name).
    public var shortLabels: [LanguageCode: String]
    /// The long description per language.
    public var longDescriptions: [LanguageCode: String]?
    /// The article family in the ERP.
    public var family: Code
    /// The site categories the article belongs to.
    public var categories: [Code]
    /// The article's GTIN (EAN/UPC) barcode.
    public var gtin: String?
    /// For a model sold in variants (size, colour): each variant with its own SKU; empty for a simple article.
    public var variants: [ArticleVariant]
    /// Pictures, in display order.
    public var images: [ImageReference]
    /// The sales unit (C62 piece, KGM kilogram, ...); quantities are in it.
    public var unit: Code
    /// The VAT rate in percent ("20.0").
    public var vatRate: Rate
    /// The public unit price excluding tax, when the merchant sets it so (B2B, or a price grossed by the site).
    public var basePriceExclTax: Money?
    /// The public unit price including tax, when the merchant sets it so (B2C): the site shows exactly it.
    public var basePriceInclTax: Money?
    /// Prices for customer price lists, by minimum quantity.
    public var priceLists: [PriceListPrice]
    /// The shipping weight of one unit, in kilograms.
    public var weightKg: Quantity?
    /// When the article last changed in the ERP.
    public var updatedAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        sku: SKU,
        status: ArticleStatus,
        webEnabled: Bool,
        shortLabels: [LanguageCode: String],
        longDescriptions: [LanguageCode: String]? = nil,
        family: Code,
        categories: [Code],
        gtin: String? = nil,
        variants: [ArticleVariant],
        images: [ImageReference],
        unit: Code,
        vatRate: Rate,
        basePriceExclTax: Money? = nil,
        basePriceInclTax: Money? = nil,
        priceLists: [PriceListPrice],
        weightKg: Quantity? = nil,
        updatedAt: Instant
    ) {
        self.sku = sku
        self.status = status
        self.webEnabled = webEnabled
        self.shortLabels = shortLabels
        self.longDescriptions = longDescriptions
        self.family = family
        self.categories = categories
        self.gtin = gtin
        self.variants = variants
        self.images = images
        self.unit = unit
        self.vatRate = vatRate
        self.basePriceExclTax = basePriceExclTax
        self.basePriceInclTax = basePriceInclTax
        self.priceLists = priceLists
        self.weightKg = weightKg
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case status
        case webEnabled = "web_enabled"
        case shortLabels = "short_labels"
        case longDescriptions = "long_descriptions"
        case family
        case categories
        case gtin
        case variants
        case images
        case unit
        case vatRate = "vat_rate"
        case basePriceExclTax = "base_price_excl_tax"
        case basePriceInclTax = "base_price_incl_tax"
        case priceLists = "price_lists"
        case weightKg = "weight_kg"
        case updatedAt = "updated_at"
    }

    /// The JSON shape of the message (version 2).
    public static let schema = shape(version: 2)

    /// The public price as the merchant set it; nil only for a value that fails `validate()`.
    public var basePrice: SetPrice? { SetPrice(exclTax: basePriceExclTax, inclTax: basePriceInclTax) }

    /// The shape of `version`: 1 has the price excluding tax required; 2 takes either amount
    /// (exactly one, which `validate()` checks).
    static func shape(version: Int) -> SchemaNode {
        let prices: [Property] = version == 1
            ? [.required("base_price_excl_tax", .money(.nonNegative), "The public unit price excluding tax.")]
            : [.optional("base_price_excl_tax", .money(.nonNegative), "The public unit price excluding tax, when the merchant sets it so; exactly one of base_price_excl_tax and base_price_incl_tax."),
               .optional("base_price_incl_tax", .money(.nonNegative), "The public unit price including tax, when the merchant sets it so (B2C): the site shows exactly this amount; exactly one of base_price_excl_tax and base_price_incl_tax.")]
        let rows = PriceListPrice.shape(version: version)
        return .object(head + prices + [
            .required("price_lists", .list(rows), "Prices for customer price lists, by minimum quantity."),
            .optional("weight_kg", .nonNegativeQuantity, "The shipping weight of one unit, in kilograms."),
            .required("updated_at", .instant, "When the article last changed in the ERP."),
        ])
    }

    private static let head: [Property] = [
        .required("sku", .ref(.sku), "The article's SKU; the record key."),
        .required("status", .oneOf(ArticleStatus.self), "active, or obsolete (no longer sold)."),
        .required("web_enabled", .boolean, "Whether the article may be sold on the site."),
        .required("short_labels", .ref(.localizedText), "The short label per language (the product name)."),
        .optional("long_descriptions", .ref(.localizedText), "The long description per language."),
        .required("family", .ref(.code), "The article family in the ERP."),
        .required("categories", .list(.ref(.code)), "The site categories the article belongs to."),
        .optional("gtin", .ref(.gtin), "The article's GTIN (EAN/UPC) barcode."),
        .required("variants", .list(ArticleVariant.schema), "For a model sold in variants (size, colour): each variant with its own SKU; empty for a simple article."),
        .required("images", .list(ImageReference.schema), "Pictures, in display order."),
        .required("unit", .ref(.unitCode), "The sales unit (C62 piece, KGM kilogram, ...); quantities are in it."),
        .required("vat_rate", .percentage, "The VAT rate in percent (\"20.0\")."),
    ]

    /// Each price gives exactly one of its two amounts; variant SKUs are unique and differ from the article's; price list prices are in the base price's currency; validity ranges are ordered.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        SetPrice.check(&check, exclTax: basePriceExclTax, inclTax: basePriceInclTax, at: root, exclName: "base_price_excl_tax", inclName: "base_price_incl_tax")
        check.unique(variants.map(\.sku) + [sku], { root.key("variants").index($0).key("sku") }, "SKU")
        check.unique(images.map(\.position), { root.key("images").index($0).key("position") }, "image position")
        check.unique(priceLists.map { [$0.priceList.rawValue, $0.minimumQuantity.description] }, { root.key("price_lists").index($0) }, "price list and minimum quantity")
        for (index, price) in priceLists.enumerated() {
            let path = root.key("price_lists").index(index)
            SetPrice.check(&check, exclTax: price.priceExclTax, inclTax: price.priceInclTax, at: path, exclName: "price_excl_tax", inclName: "price_incl_tax")
            if let currency = basePrice?.amount.currency {
                check.currency(price.priceExclTax, currency, path.key("price_excl_tax"))
                check.currency(price.priceInclTax, currency, path.key("price_incl_tax"))
            }
            if let from = price.validFrom, let until = price.validUntil {
                check.expect(from <= until, path.key("valid_until"), .inconsistent(rule: "valid_until must not be before valid_from"))
            }
        }
        return check.problems
    }
}

/// One variant of a model article.
public struct ArticleVariant: Codable, Sendable, Hashable {
    /// The variant's own SKU (stock is per variant SKU).
    public var sku: SKU
    /// Its option values by option name (color: red, size: M).
    public var options: [String: String]
    /// Its GTIN barcode.
    public var gtin: String?
    /// Whether this variant may be sold on the site.
    public var webEnabled: Bool

    /// A value with every field given; optional fields default to absent.
    public init(sku: SKU, options: [String: String], gtin: String? = nil, webEnabled: Bool) {
        self.sku = sku
        self.options = options
        self.gtin = gtin
        self.webEnabled = webEnabled
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case options
        case gtin
        case webEnabled = "web_enabled"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("sku", .ref(.sku), "The variant's own SKU (stock is per variant SKU)."),
        .required("options", .map(keys: StringRule(maximumLength: 64, pattern: "^[a-z][a-z0-9_]{0,63}$", patternName: "an option name such as color"), values: .text(maximumLength: 100), minimumCount: 1), "Its option values by option name (color: red, size: M)."),
        .optional("gtin", .ref(.gtin), "Its GTIN barcode."),
        .required("web_enabled", .boolean, "Whether this variant may be sold on the site.")
    )
}

/// A picture of an article.
public struct ImageReference: Codable, Sendable, Hashable {
    /// Where the picture is (the media server).
    public var url: String
    /// Its display position, from 1.
    public var position: Int

    /// A value with every field given.
    public init(url: String, position: Int) {
        self.url = url
        self.position = position
    }

    private enum CodingKeys: String, CodingKey {
        case url
        case position
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("url", .ref(.url), "Where the picture is (the media server)."),
        .required("position", .integer(minimum: 1), "Its display position, from 1.")
    )
}

/// An article's price in one price list.
public struct PriceListPrice: Codable, Sendable, Hashable {
    /// The price list.
    public var priceList: PriceListCode
    /// The quantity from which the price applies.
    public var minimumQuantity: Quantity
    /// The unit price excluding tax, when the merchant sets it so.
    public var priceExclTax: Money?
    /// The unit price including tax, when the merchant sets it so (B2C quantity prices, promotions).
    public var priceInclTax: Money?
    /// The first day it applies (the merchant's local date); absent: already.
    public var validFrom: LocalDate?
    /// The last day it applies; absent: until further notice.
    public var validUntil: LocalDate?

    /// A value with every field given; optional fields default to absent.
    public init(
        priceList: PriceListCode,
        minimumQuantity: Quantity,
        priceExclTax: Money? = nil,
        priceInclTax: Money? = nil,
        validFrom: LocalDate? = nil,
        validUntil: LocalDate? = nil
    ) {
        self.priceList = priceList
        self.minimumQuantity = minimumQuantity
        self.priceExclTax = priceExclTax
        self.priceInclTax = priceInclTax
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    private enum CodingKeys: String, CodingKey {
        case priceList = "price_list"
        case minimumQuantity = "minimum_quantity"
        case priceExclTax = "price_excl_tax"
        case priceInclTax = "price_incl_tax"
        case validFrom = "valid_from"
        case validUntil = "valid_until"
    }

    /// The price as the merchant set it; nil only for a value that fails its article's `validate()`.
    public var price: SetPrice? { SetPrice(exclTax: priceExclTax, inclTax: priceInclTax) }

    /// The JSON shape (version 2 of the article).
    public static let schema = shape(version: 2)

    /// The shape in `version` of the article: 1 has the price excluding tax required; 2 takes either.
    static func shape(version: Int) -> SchemaNode {
        let prices: [Property] = version == 1
            ? [.required("price_excl_tax", .money(.nonNegative), "The unit price excluding tax.")]
            : [.optional("price_excl_tax", .money(.nonNegative), "The unit price excluding tax, when the merchant sets it so; exactly one of price_excl_tax and price_incl_tax."),
               .optional("price_incl_tax", .money(.nonNegative), "The unit price including tax, when the merchant sets it so (B2C quantity prices, promotions); exactly one of price_excl_tax and price_incl_tax.")]
        return .object([
            .required("price_list", .ref(.priceListCode), "The price list."),
            .required("minimum_quantity", .positiveQuantity, "The quantity from which the price applies."),
        ] + prices + [
            .optional("valid_from", .date, version == 1 ? "The first day it applies; absent: already." : "The first day it applies, on the merchant's local date (order-ingest's time_zone); absent: already."),
            .optional("valid_until", .date, version == 1 ? "The last day it applies; absent: until further notice." : "The last day it applies, on the merchant's local date; absent: until further notice."),
        ])
    }
}

/// Whether an article is still sold.
public enum ArticleStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Sold.
    case active
    /// No longer sold; remaining stock may still ship.
    case obsolete
}
