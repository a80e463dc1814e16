import BusSchema

/// The stock-broadcaster's rules, read from the worker's JSON rules file (`BUS_CONFIG`).
///
/// Every field has a default (see `defaults`), so a file lists only what it changes; a field
/// given with a wrong type, `null` or a negative quantity makes the file invalid.
public struct StockBroadcasterRules: Sendable, Equatable, Decodable {
    /// What the site is told.
    public enum Mode: String, Sendable, Equatable, Decodable {
        /// A status only: in stock, limited, out of stock (or on order).
        case status
        /// The status and the sellable quantity.
        case quantity
    }

    /// The warehouses whose stock is sold on the site; empty counts every warehouse.
    public var warehouses: [WarehouseCode]
    /// Status only, or status and quantity.
    public var mode: Mode
    /// At or below this sellable quantity (and above zero) the status is limited.
    public var limitedThreshold: Quantity
    /// In quantity mode, kept back from what the site may sell.
    public var safetyStock: Quantity

    /// Every warehouse, status mode, limited at 5 or fewer, no safety stock.
    public static let defaults = StockBroadcasterRules(warehouses: [], mode: .status, limitedThreshold: Quantity(5), safetyStock: .zero)

    /// Rules with every field given.
    public init(warehouses: [WarehouseCode], mode: Mode, limitedThreshold: Quantity, safetyStock: Quantity) {
        self.warehouses = warehouses
        self.mode = mode
        self.limitedThreshold = limitedThreshold
        self.safetyStock = safetyStock
    }

    private enum CodingKeys: String, CodingKey {
        case warehouses
        case mode
        case limitedThreshold = "limited_threshold"
        case safetyStock = "safety_stock"
    }

    /// Reads a rules file, taking the default for each absent field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.defaults
        warehouses = try container.decode([WarehouseCode].self, forKey: .warehouses, default: defaults.warehouses)
        mode = try container.decode(Mode.self, forKey: .mode, default: defaults.mode)
        limitedThreshold = try container.nonNegativeQuantity(forKey: .limitedThreshold, default: defaults.limitedThreshold)
        safetyStock = try container.nonNegativeQuantity(forKey: .safetyStock, default: defaults.safetyStock)
    }
}
