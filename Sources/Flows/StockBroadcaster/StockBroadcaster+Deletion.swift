import BusSchema

/// A SKU deleted in the ERP: the ERP's tombstone on `erp.stock` (a null value keyed by the
/// SKU, as it deletes an article on `erp.articles`). The flow forgets the SKU (the runtime
/// writes the tombstone to the changelog) and, when the site was shown its availability,
/// deletes it from `shop.availability` with a tombstone too. A tombstone on any other input
/// is not a deletion the flow knows: it is dead-lettered.
extension StockBroadcaster {
    /// Tombstones on `erp.stock` are deletions.
    public var readsDeletions: Bool { true }

    public func deleted(key: String, topic: String, cause: Envelope, state: inout FlowState<SKUStock>, tables: any TableLookup) throws -> [FlowOutput] {
        guard topic == Topics.erpStock else {
            throw FlowRejection(field: nil, reason: "a null value (tombstone) on \(topic) is not a message stock-broadcaster reads")
        }
        guard let stock = state[key] else { return [] }
        state[key] = nil
        guard stock.shown != nil else { return [] }
        return [.tombstone(topic: Topics.shopAvailability, key: key, of: Availability.self)]
    }
}
