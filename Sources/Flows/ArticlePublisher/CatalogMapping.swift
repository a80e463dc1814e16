import BusSchema

/// What the site shows for a selected article: the ERP article mapped to a catalog entry.
///
/// Guarantees: SKU, categories, GTIN, unit and VAT rate are the article's; the name and the
/// description are given in every shown language, taking the default language's text where
/// the article has none in that language (a description in no language at all is omitted);
/// only web-enabled variants are listed, with their option values; images are in display
/// order; every price (the public one and each price list row) carries the amount the ERP set
/// exactly, and the other amount derived from it at the VAT rate (grossed when the ERP set
/// the price excluding tax, netted when it set it including tax), rounded to the currency's
/// minor unit with the configured mode and named in `derived`. A price set including tax is
/// therefore shown to the cent (9.99 € stays 9.99 €, which no price excluding tax reaches at
/// 20 % for a third of the .99 prices). The entry is dated by the article's `updated_at`, so
/// the same article always maps to the same entry.
public enum CatalogMapping {
    /// The entry for `article`. Throws when a price including tax does not fit the money type.
    public static func entry(for article: ERPArticle, rules: ArticlePublisherRules) throws(FlowRejection) -> CatalogEntry {
        let languages = rules.shownLanguages
        let fallback = rules.defaultLanguageCode
        let names = localized(article.shortLabels, in: languages, fallback: fallback)
        let descriptions = article.longDescriptions.map { localized($0, in: languages, fallback: fallback) } ?? [:]
        let base = try both(article.basePrice, article.vatRate, rules.rounding, fields: ("$.base_price_excl_tax", "$.base_price_incl_tax"))
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
            priceExclTax: base.exclTax, priceInclTax: base.inclTax, derived: base.derived,
            priceLists: try article.priceLists.enumerated().map { (index, row) throws(FlowRejection) in
                let pair = try both(row.price, article.vatRate, rules.rounding,
                                    fields: ("$.price_lists[\(index)].price_excl_tax", "$.price_lists[\(index)].price_incl_tax"))
                return CatalogPrice(
                    priceList: row.priceList, minimumQuantity: row.minimumQuantity,
                    priceExclTax: pair.exclTax, priceInclTax: pair.inclTax, derived: pair.derived,
                    validFrom: row.validFrom, validUntil: row.validUntil)
            },
            publishedAt: article.updatedAt)
    }

    /// A price's two amounts: the one set, exactly, and the other derived at `rate` with `mode`.
    /// `fields` name the two amounts, for the error.
    static func both(_ price: SetPrice?, _ rate: Rate, _ mode: RoundingMode, fields: (excl: String, incl: String)) throws(FlowRejection) -> (exclTax: Money, inclTax: Money, derived: PriceBasis) {
        // The schema refuses an article without exactly one amount per price; this guards
        // values built in code.
        guard let price else { throw FlowRejection(field: fields.excl, reason: "give exactly one of \(fields.excl) and \(fields.incl)") }
        let field = price.basis == .exclTax ? fields.excl : fields.incl
        do {
            switch price.basis {
            case .exclTax: return (price.amount, try price.amount.grossed(at: rate, rounding: mode), .inclTax)
            case .inclTax: return (try price.amount.netted(at: rate, rounding: mode), price.amount, .exclTax)
            }
        } catch {
            throw FlowRejection(field: field, reason: "the derived price does not fit in 64-bit minor units")
        }
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
}
