import BusSchema
import Synchronization

/// The published catalogue (`shop.catalog`, read whole as a table), by any SKU it sells: an
/// article's own or one of its variants'.
///
/// The table is keyed by the article's SKU while orders name variant SKUs, so variants are
/// found through an index of variant SKU → article SKU. The index is only a memo: every
/// answer is checked against the table as it is now (the variant must still be in its
/// article's latest entry), and a miss rebuilds it from the whole table, so it can never make
/// a rule see a stale catalogue. Unknown SKUs (rare: held orders) cost a scan of the table.
final class CatalogLookup: Sendable {
    private let variants = Mutex<[SKU: SKU]>([:])

    /// The catalogue entry selling `sku`, or nil when no published entry does (unknown or unpublished).
    func entry(selling sku: SKU, in tables: any TableLookup) -> CatalogEntry? {
        if let entry = tables.latest(CatalogEntry.self, in: Topics.shopCatalog, key: sku.rawValue) { return entry }
        if let entry = variantEntry(sku, tables) { return entry }
        var index: [SKU: SKU] = [:]
        for key in tables.keys(in: Topics.shopCatalog) {
            guard let entry = tables.latest(CatalogEntry.self, in: Topics.shopCatalog, key: key) else { continue }
            for variant in entry.variants { index[variant.sku] = entry.sku }
        }
        variants.withLock { $0 = index }
        return variantEntry(sku, tables)
    }

    private func variantEntry(_ sku: SKU, _ tables: any TableLookup) -> CatalogEntry? {
        guard let article = variants.withLock({ $0[sku] }),
              let entry = tables.latest(CatalogEntry.self, in: Topics.shopCatalog, key: article.rawValue),
              entry.variants.contains(where: { $0.sku == sku }) else { return nil }
        return entry
    }
}
