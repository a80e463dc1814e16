/// An article a customer takes in exchange for one returned: a new order line at no charge,
/// linked to the return (and to the returned line). What is exchanged is not refunded.
public struct ExchangeLine: Codable, Sendable, Hashable {
    /// The returned line this replaces.
    public var returnedLineNumber: Int
    /// The article wanted instead (the same SKU for a replacement, another size or colour…).
    public var sku: SKU
    /// How many.
    public var quantity: Quantity

    /// A value with every field given.
    public init(returnedLineNumber: Int, sku: SKU, quantity: Quantity) {
        self.returnedLineNumber = returnedLineNumber
        self.sku = sku
        self.quantity = quantity
    }

    private enum CodingKeys: String, CodingKey {
        case returnedLineNumber = "returned_line_number"
        case sku
        case quantity
    }

    /// The JSON shape of an exchange line.
    public static let schema: SchemaNode = .object(
        .required("returned_line_number", .integer(minimum: 1), "The returned line this replaces."),
        .required("sku", .ref(.sku), "The article wanted instead."),
        .required("quantity", .positiveQuantity, "How many.")
    )
}

extension RuleCheck {
    /// Each exchange line replaces a line the return names.
    mutating func exchanges(_ exchange: [ExchangeLine]?, replace lines: [ReturnLine], _ root: JSONPath) {
        let returned = Set(lines.map(\.lineNumber))
        for (index, line) in (exchange ?? []).enumerated() {
            expect(returned.contains(line.returnedLineNumber), root.key("exchange").index(index).key("returned_line_number"),
                   .inconsistent(rule: "an exchange replaces a line the return names"))
        }
    }
}
