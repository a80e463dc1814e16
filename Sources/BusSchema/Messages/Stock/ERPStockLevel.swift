/// The stock of one SKU in one warehouse, from the ERP on every movement (topic `erp.stock`, key: the SKU).
public struct ERPStockLevel: BusMessage {
    /// "erp.stock-level".
    public static let messageType = "erp.stock-level"
    /// Version 1.
    public static let schemaVersion = 1
    /// The stock of one SKU in one warehouse.
    public static let summary = "The stock of one SKU in one warehouse."

    /// The SKU; the record key.
    public var sku: SKU
    /// The warehouse.
    public var warehouse: WarehouseCode
    /// Physically in stock, in the article's unit; may be negative when the ERP allows overselling.
    public var onHand: Quantity
    /// Promised to orders not yet shipped.
    public var reserved: Quantity
    /// Expected receipts (purchase orders), by date.
    public var incoming: [IncomingStock]
    /// When the ERP computed these figures; older figures never replace newer ones.
    public var measuredAt: Instant
    /// Whether the article may be ordered when none is available (the site then shows it on order); absent: no.
    public var backorderAllowed: Bool?

    /// A value with every field given; optional fields default to absent.
    public init(
        sku: SKU,
        warehouse: WarehouseCode,
        onHand: Quantity,
        reserved: Quantity,
        incoming: [IncomingStock],
        measuredAt: Instant,
        backorderAllowed: Bool? = nil
    ) {
        self.sku = sku
        self.warehouse = warehouse
        self.onHand = onHand
        self.reserved = reserved
        self.incoming = incoming
        self.measuredAt = measuredAt
        self.backorderAllowed = backorderAllowed
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case warehouse
        case onHand = "on_hand"
        case reserved
        case incoming
        case measuredAt = "measured_at"
        case backorderAllowed = "backorder_allowed"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("sku", .ref(.sku), "The SKU; the record key."),
        .required("warehouse", .ref(.warehouseCode), "The warehouse."),
        .required("on_hand", .signedQuantity, "Physically in stock, in the article's unit; may be negative when the ERP allows overselling."),
        .required("reserved", .nonNegativeQuantity, "Promised to orders not yet shipped."),
        .required("incoming", .list(IncomingStock.schema), "Expected receipts (purchase orders), by date."),
        .required("measured_at", .instant, "When the ERP computed these figures; older figures never replace newer ones."),
        .optional("backorder_allowed", .boolean, "Whether the article may be ordered when none is available (the site then shows it on order); absent: no.")
    )
}

/// A quantity expected in a warehouse.
public struct IncomingStock: Codable, Sendable, Hashable {
    /// The quantity expected.
    public var quantity: Quantity
    /// The day it is expected.
    public var expectedOn: LocalDate

    /// A value with every field given.
    public init(quantity: Quantity, expectedOn: LocalDate) {
        self.quantity = quantity
        self.expectedOn = expectedOn
    }

    private enum CodingKeys: String, CodingKey {
        case quantity
        case expectedOn = "expected_on"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("quantity", .positiveQuantity, "The quantity expected."),
        .required("expected_on", .date, "The day it is expected.")
    )
}
