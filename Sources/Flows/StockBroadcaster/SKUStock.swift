import BusSchema

/// What stock-broadcaster keeps per SKU (state key: the SKU): the latest figures of each
/// counted warehouse and what the site was last told. A few warehouses at most, so each
/// movement rewrites a small value.
public struct SKUStock: Codable, Sendable, Equatable {
    /// The latest figures per counted warehouse.
    public var warehouses: [WarehouseCode: WarehouseStock]
    /// Whether the article may be ordered when none is available, as the latest figures said.
    public var backorderAllowed: Bool
    /// The availability last sent to the site (possibly still held for coalescing), if any.
    public var shown: ShownAvailability?
    /// What each order seen by the bus and not yet reserved by the ERP holds (`bus.stock-claims`).
    public var claims: [OrderNumber: Quantity]

    /// A SKU with the given figures.
    public init(warehouses: [WarehouseCode: WarehouseStock] = [:], backorderAllowed: Bool = false, shown: ShownAvailability? = nil,
                claims: [OrderNumber: Quantity] = [:]) {
        self.warehouses = warehouses
        self.backorderAllowed = backorderAllowed
        self.shown = shown
        self.claims = claims
    }

    private enum CodingKeys: String, CodingKey {
        case warehouses
        case backorderAllowed = "backorder_allowed"
        case shown
        case claims
    }

    /// Reads a changelog value; one written before claims existed has none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        warehouses = try container.decode([WarehouseCode: WarehouseStock].self, forKey: .warehouses)
        backorderAllowed = try container.decode(Bool.self, forKey: .backorderAllowed)
        shown = try container.decodeIfPresent(ShownAvailability.self, forKey: .shown)
        claims = try container.decodeIfPresent([OrderNumber: Quantity].self, forKey: .claims) ?? [:]
    }

    /// Writes a changelog value; no claims, no `claims` member (values stay as before claims).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(warehouses, forKey: .warehouses)
        try container.encode(backorderAllowed, forKey: .backorderAllowed)
        try container.encodeIfPresent(shown, forKey: .shown)
        if !claims.isEmpty { try container.encode(claims, forKey: .claims) }
    }

    /// Takes in an order's claim; zero releases it. Returns whether anything changed.
    public mutating func record(_ claim: StockClaim) -> Bool {
        let held: Quantity? = claim.quantity.value.isZero ? nil : claim.quantity
        guard claims[claim.orderNumber] != held else { return false }
        claims[claim.orderNumber] = held
        return true
    }

    /// Σ of the open claims.
    public func claimed() throws(SchemaError) -> Quantity {
        var total = Quantity.zero
        for quantity in claims.values { total = try total.adding(quantity) }
        return total
    }

    /// Takes in one warehouse's figures unless figures measured later are already kept.
    /// Returns whether anything changed: a replayed or older movement changes nothing.
    public mutating func record(_ level: ERPStockLevel) throws(SchemaError) -> Bool {
        let figures = WarehouseStock(
            available: try level.onHand.subtracting(level.reserved),
            nextReceipt: level.incoming.filter { $0.quantity > .zero }.map(\.expectedOn).min(),
            measuredAt: level.measuredAt)
        if let kept = warehouses[level.warehouse], kept.measuredAt > level.measuredAt { return false }
        let backorders = level.backorderAllowed ?? false
        guard warehouses[level.warehouse] != figures || backorderAllowed != backorders else { return false }
        warehouses[level.warehouse] = figures
        backorderAllowed = backorders
        return true
    }

    /// Σ (on hand − reserved) over the warehouses kept, which may be below zero.
    public func netAvailable() throws(SchemaError) -> Quantity {
        var total = Quantity.zero
        for stock in warehouses.values { total = try total.adding(stock.available) }
        return total
    }

    /// The earliest expected receipt over the warehouses kept, if any.
    public var nextReceipt: LocalDate? { warehouses.values.compactMap(\.nextReceipt).min() }

    /// When the latest of the figures kept was measured.
    public var measuredAt: Instant? { warehouses.values.map(\.measuredAt).max() }
}

/// One warehouse's figures for a SKU, reduced to what availability needs.
public struct WarehouseStock: Codable, Sendable, Equatable {
    /// On hand − reserved; below zero when the ERP oversold.
    public var available: Quantity
    /// The earliest expected receipt with a positive quantity.
    public var nextReceipt: LocalDate?
    /// When the ERP measured these figures.
    public var measuredAt: Instant

    /// Figures with every field given.
    public init(available: Quantity, nextReceipt: LocalDate?, measuredAt: Instant) {
        self.available = available
        self.nextReceipt = nextReceipt
        self.measuredAt = measuredAt
    }

    private enum CodingKeys: String, CodingKey {
        case available
        case nextReceipt = "next_receipt"
        case measuredAt = "measured_at"
    }
}

/// What the site sees of a SKU: the part of an availability message whose change is worth a
/// publication (not its measuring time).
public struct ShownAvailability: Codable, Sendable, Equatable {
    /// In stock, limited or out of stock.
    public var status: AvailabilityStatus
    /// The sellable quantity, in quantity mode.
    public var quantity: Quantity?
    /// When more is expected, for an article out of stock or on order.
    public var nextAvailableOn: LocalDate?
    /// Out of stock but orderable.
    public var onOrder: Bool

    /// A value with every field given.
    public init(status: AvailabilityStatus, quantity: Quantity? = nil, nextAvailableOn: LocalDate? = nil, onOrder: Bool = false) {
        self.status = status
        self.quantity = quantity
        self.nextAvailableOn = nextAvailableOn
        self.onOrder = onOrder
    }

    private enum CodingKeys: String, CodingKey {
        case status
        case quantity
        case nextAvailableOn = "next_available_on"
        case onOrder = "on_order"
    }

    /// The message for the site.
    public func message(sku: SKU, updatedAt: Instant) -> Availability {
        Availability(sku: sku, status: status, quantity: quantity, nextAvailableOn: nextAvailableOn,
                     updatedAt: updatedAt, onOrder: onOrder ? true : nil)
    }
}
