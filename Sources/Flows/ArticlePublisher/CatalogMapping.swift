import BusSchema

/// What the site shows for a selected article: the ERP article mapped to a catalog entry.
///
/// Guarantees: SKU, categories, GTIN, unit and VAT rate are the article's; the name and the
/// description are given in every shown language, taking the default language's text where
/// the article has none in that language (a description in no language at all is omitted);
/// only web-enabled variants are listed, with their option values; images are in display
/// order; prices including tax are the prices excluding tax grossed by the VAT rate and
/// rounded to the currency's minor unit with the configured mode, for the public price and
/// for every price list row, which are otherwise kept as they are. The entry is dated by the
/// article's `updated_at`, so the same article always maps to the same entry.
public enum CatalogMapping {
    /// The entry for `article`. Throws when a price including tax does not fit the money type.
    public static func entry(for article: ERPArticle, rules: ArticlePublisherRules) throws(FlowRejection) -> CatalogEntry {
        let languages = rules.shownLanguages
        let fallback = rules.defaultLanguageCode
        let names = localized(article.shortLabels, in: languages, fallback: fallback)
        let descriptions = article.longDescriptions.map { localized($0, in: languages, fallback: fallback) } ?? [:]
        return CatalogEntry(
            sku: article.sku,
            name: names,
            description: descriptions.isEmpty ? nil : descriptions,
            categories: article.categories,
            gtin: article.gtin,
            variants: article.variants.filter(\.webEnabled).map { CatalogVariant(sku: $0.sku, options: $0.options, gtin: $0.gtin) },
            images: article.images.sorted { $0.position < $1.position },
            unit: article.unit,
            vatRate: article.vatRate,
            priceExclTax: article.basePriceExclTax,
            priceInclTax: try gross(article.basePriceExclTax, article.vatRate, rules.rounding, field: "$.base_price_excl_tax"),
            priceLists: try article.priceLists.enumerated().map { (index, row) throws(FlowRejection) in
                CatalogPrice(
                    priceList: row.priceList, minimumQuantity: row.minimumQuantity, priceExclTax: row.priceExclTax,
                    priceInclTax: try gross(row.priceExclTax, article.vatRate, rules.rounding, field: "$.price_lists[\(index)].price_excl_tax"),
                    validFrom: row.validFrom, validUntil: row.validUntil)
            },
            publishedAt: article.updatedAt)
    }

    /// The text in each of `languages`: the article's own when it has a non-blank one, else
    /// the fallback language's; languages with neither are left out.
    static func localized(_ texts: [LanguageCode: String], in languages: [LanguageCode], fallback: LanguageCode?) -> [LanguageCode: String] {
        var result: [LanguageCode: String] = [:]
        let fallbackText = fallback.flatMap { texts[$0] }.flatMap { $0.isBlank ? nil : $0 }
        for language in languages {
            if let own = texts[language], !own.isBlank {
                result[language] = own
            } else if let fallbackText {
                result[language] = fallbackText
            }
        }
        return result
    }

    /// `net` grossed by `rate`, rounded with `mode`.
    static func gross(_ net: Money, _ rate: Rate, _ mode: RoundingMode, field: String) throws(FlowRejection) -> Money {
        do {
            return try net.grossed(at: rate, rounding: mode)
        } catch {
            throw FlowRejection(field: field, reason: "the price including tax does not fit in 64-bit minor units")
        }
    }
}
