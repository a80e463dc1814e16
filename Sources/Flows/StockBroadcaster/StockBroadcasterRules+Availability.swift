import BusSchema

/// The availability rules, as pure functions over values.
extension StockBroadcasterRules {
    /// Whether a warehouse's stock is sold on the site.
    public func counts(_ warehouse: WarehouseCode) -> Bool {
        warehouses.isEmpty || warehouses.contains(warehouse)
    }

    /// What the site sees for a net available quantity (Σ on hand − reserved, possibly below
    /// zero), whether the article may be backordered, and its earliest expected receipt.
    ///
    /// Never below zero; in quantity mode, the safety stock is kept back. Above the limited
    /// threshold: in stock; above zero: limited; at zero: out of stock, or on order when
    /// backorders are allowed, with the next receipt's date.
    public func shown(netAvailable: Quantity, backorderAllowed: Bool, nextReceipt: LocalDate?) throws(SchemaError) -> ShownAvailability {
        var sellable = netAvailable
        if mode == .quantity { sellable = try sellable.subtracting(safetyStock) }
        if sellable.value.isNegative { sellable = .zero }
        let quantity = mode == .quantity ? sellable : nil
        if sellable.value.isZero {
            return ShownAvailability(status: .outOfStock, quantity: quantity, nextAvailableOn: nextReceipt, onOrder: backorderAllowed)
        }
        return ShownAvailability(status: sellable > limitedThreshold ? .inStock : .limited, quantity: quantity)
    }

    /// What the site sees of `stock`.
    public func shown(_ stock: SKUStock) throws(SchemaError) -> ShownAvailability {
        try shown(netAvailable: stock.netAvailable(), backorderAllowed: stock.backorderAllowed, nextReceipt: stock.nextReceipt)
    }
}
