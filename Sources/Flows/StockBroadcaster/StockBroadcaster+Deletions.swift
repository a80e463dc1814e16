import BusSchema

/// SKUs deleted in the ERP leave the state. `erp.articles` (3 partitions) is not
/// co-partitioned with `erp.stock` (6), so the deletion is read where article-publisher
/// states it for every reader: its `shop.catalog-unpublish` with reason `deleted_in_erp`
/// (the tombstone on `erp.articles` becomes that message), on `shop.catalog` read whole as a
/// watched table. The article's own SKU and every SKU linked to it as a variant leave the
/// partitions this instance owns (a tombstone on the changelog), and their last availability
/// leaves the compacted `shop.availability` (a tombstone), so neither the state nor the topic
/// keeps a deleted SKU for ever. A later stock level for the SKU starts a new entry.
extension StockBroadcaster {
    /// `shop.catalog`: the published catalogue, for its deletions and its variants' articles.
    public var tables: [String] { [Topics.shopCatalog] }

    /// `shop.catalog`.
    public var watchedTables: [String] { [Topics.shopCatalog] }

    /// A catalogue entry links the variant SKUs this partition holds to their article; an
    /// unpublication for `deleted_in_erp` forgets the article's SKUs. Any other unpublication
    /// (obsolete, web-disabled) keeps them: the article still has stock and may come back.
    public func tableChanged(_ record: FlowInput, state: inout FlowState<SKUStock>, tables: any TableLookup) throws -> [FlowOutput] {
        if let entry = record.message(as: CatalogEntry.self) {
            link(entry, state: &state)
            return []
        }
        guard let unpublish = record.message(as: CatalogUnpublish.self), unpublish.reason == .deletedInErp else { return [] }
        return forget(article: unpublish.sku, state: &state)
    }

    /// Records `entry`'s article on each of its variants held here whose link differs.
    func link(_ entry: CatalogEntry, state: inout FlowState<SKUStock>) {
        for variant in entry.variants {
            guard var stock = state[variant.sku.rawValue], stock.article != entry.sku else { continue }
            stock.article = entry.sku
            state[variant.sku.rawValue] = stock
        }
    }

    /// Removes `article`'s own entry and its variants' from the partition, in SKU order; a
    /// tombstone on `shop.availability` for each one the site was told of.
    func forget(article: SKU, state: inout FlowState<SKUStock>) -> [FlowOutput] {
        let deleted = state.keys.filter { key in key == article.rawValue || state[key]?.article == article }
        return deleted.compactMap { sku in
            let shown = state[sku]?.shown
            state[sku] = nil
            guard shown != nil else { return nil }
            return .tombstone(topic: Topics.shopAvailability, key: sku, of: Availability.self)
        }
    }
}
