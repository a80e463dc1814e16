/// A quantity of one line of a site order.
public struct OrderLineQuantity: Codable, Sendable, Hashable {
    /// The line number in the site order.
    public var lineNumber: Int
    /// The line's SKU, repeated so readers can check they mean the same line.
    public var sku: SKU
    /// The quantity concerned, greater than zero.
    public var quantity: Quantity

    /// A value with every field given.
    public init(lineNumber: Int, sku: SKU, quantity: Quantity) {
        self.lineNumber = lineNumber
        self.sku = sku
        self.quantity = quantity
    }

    private enum CodingKeys: String, CodingKey {
        case lineNumber = "line_number"
        case sku
        case quantity
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("line_number", .integer(minimum: 1), "The line number in the site order."),
        .required("sku", .ref(.sku), "The line's SKU, repeated so readers can check they mean the same line."),
        .required("quantity", .positiveQuantity, "The quantity concerned, greater than zero.")
    )
}
