import BusSchema

/// The ERP's stock: per SKU and warehouse, on hand, reserved for open orders, and expected
/// receipts. Every change yields the stock level the ERP publishes on `erp.stock`.
///
/// Levels are stamped from one clock that only moves forward (the event's time, or a
/// millisecond after the last stamp), as an ERP measures when it publishes: a SKU's levels
/// are then never older than those already sent, whatever order the day's events take.
struct ERPWarehouse {
    struct Figures: Equatable {
        var onHand: Int
        var reserved: Int
        var incoming: [IncomingStock]
    }

    private(set) var figures: [SKU: [WarehouseCode: Figures]] = [:]
    private var backorder: Set<SKU> = []
    private var lastStampMillis: Int64 = 0

    /// The opening stock of `catalogue`, with the day's `receipts` expected on `day`.
    init(catalogue: DemoCatalogue, receipts: [(SKU, WarehouseCode, Int)], day: LocalDate) {
        for item in catalogue.items {
            var perWarehouse: [WarehouseCode: Figures] = [:]
            for warehouse in DemoValues.warehouses {
                perWarehouse[warehouse] = Figures(onHand: item.openingStock[warehouse] ?? 0, reserved: 0, incoming: item.incoming[warehouse] ?? [])
            }
            figures[item.sku] = perWarehouse
            if item.backorderAllowed { backorder.insert(item.sku) }
        }
        for (sku, warehouse, units) in receipts {
            figures[sku]?[warehouse]?.incoming.append(IncomingStock(quantity: DemoValues.quantity(units), expectedOn: day))
        }
    }

    /// Every SKU's level in every warehouse, as published at opening.
    mutating func openingLevels(at time: Instant) throws -> [ERPStockLevel] {
        var levels: [ERPStockLevel] = []
        for sku in figures.keys.sorted() {
            for warehouse in DemoValues.warehouses { levels.append(try level(sku, warehouse, at: time)) }
        }
        return levels
    }

    /// Reserves `units` for an order in the warehouse with the most available.
    mutating func reserve(_ sku: SKU, _ units: Int, at time: Instant) throws -> (WarehouseCode, ERPStockLevel)? {
        guard let stock = figures[sku] else { return nil }
        let warehouse = DemoValues.warehouses.max { available(stock[$0]) < available(stock[$1]) } ?? DemoValues.warehouses[0]
        guard let level = try change(sku, warehouse, at: time, { $0.reserved += units }) else { return nil }
        return (warehouse, level)
    }

    /// Gives back `units` reserved by a cancelled or lowered order.
    mutating func release(_ sku: SKU, _ warehouse: WarehouseCode, _ units: Int, at time: Instant) throws -> ERPStockLevel? {
        try change(sku, warehouse, at: time) { $0.reserved -= units }
    }

    /// Ships `units` reserved by an order.
    mutating func ship(_ sku: SKU, _ warehouse: WarehouseCode, _ units: Int, at time: Instant) throws -> ERPStockLevel? {
        try change(sku, warehouse, at: time) {
            $0.onHand -= units
            $0.reserved -= units
        }
    }

    /// Puts returned goods back on the shelf.
    mutating func restock(_ sku: SKU, _ warehouse: WarehouseCode, _ units: Int, at time: Instant) throws -> ERPStockLevel? {
        try change(sku, warehouse, at: time) { $0.onHand += units }
    }

    /// Receives an expected receipt.
    mutating func receive(_ sku: SKU, _ warehouse: WarehouseCode, _ units: Int, at time: Instant) throws -> ERPStockLevel? {
        try change(sku, warehouse, at: time) { figures in
            figures.onHand += units
            if let index = figures.incoming.firstIndex(where: { $0.quantity == DemoValues.quantity(units) }) { figures.incoming.remove(at: index) }
        }
    }

    /// Corrects the quantity on hand after a count.
    mutating func count(_ sku: SKU, _ warehouse: WarehouseCode, delta: Int, at time: Instant) throws -> ERPStockLevel? {
        try change(sku, warehouse, at: time) { $0.onHand += delta }
    }

    /// What the site should show for `sku` at the end of the day, computed from the ERP's
    /// figures: Σ (on hand − reserved), never below zero; on order when backorders are
    /// allowed; the earliest receipt when none is left.
    func truth(_ sku: SKU) -> (units: Int, nextReceipt: LocalDate?, onOrder: Bool)? {
        guard let stock = figures[sku] else { return nil }
        let units = max(0, stock.values.reduce(0) { $0 + $1.onHand - $1.reserved })
        let next = stock.values.flatMap(\.incoming).filter { $0.quantity > .zero }.map(\.expectedOn).min()
        return (units, units == 0 ? next : nil, units == 0 && backorder.contains(sku))
    }

    private func available(_ figures: Figures?) -> Int {
        figures.map { $0.onHand - $0.reserved } ?? Int.min
    }

    private mutating func change(_ sku: SKU, _ warehouse: WarehouseCode, at time: Instant, _ apply: (inout Figures) -> Void) throws -> ERPStockLevel? {
        guard var current = figures[sku]?[warehouse] else { return nil }
        apply(&current)
        figures[sku]?[warehouse] = current
        return try level(sku, warehouse, at: time)
    }

    private mutating func level(_ sku: SKU, _ warehouse: WarehouseCode, at time: Instant) throws -> ERPStockLevel {
        let current = figures[sku]?[warehouse] ?? Figures(onHand: 0, reserved: 0, incoming: [])
        let millis = max(lastStampMillis + 1, time.secondsSinceEpoch * 1000)
        lastStampMillis = millis
        let stamp = try required(Instant(secondsSinceEpoch: millis / 1000, nanoseconds: Int32(millis % 1000) * 1_000_000, fractionDigits: 3), "instant")
        return ERPStockLevel(sku: sku, warehouse: warehouse, onHand: DemoValues.quantity(current.onHand), reserved: DemoValues.quantity(max(0, current.reserved)),
                             incoming: current.incoming, measuredAt: stamp, backorderAllowed: backorder.contains(sku) ? true : nil)
    }
}
