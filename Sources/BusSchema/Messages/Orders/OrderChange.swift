/// A change to an order not yet shipped, made on the site (topic `shop.orders`, key: the order number).
/// Fields present are changed; order-ingest sends the ERP a new revision of the sales order.
public struct OrderChange: BusMessage {
    /// "shop.order-change".
    public static let messageType = "shop.order-change"
    /// Version 1.
    public static let schemaVersion = 1
    /// A change to an order not yet shipped.
    public static let summary = "A change to an order not yet shipped."

    /// The change's id.
    public var changeID: EventID
    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// When the change was made.
    public var changedAt: Instant
    /// The new delivery address.
    public var deliveryAddress: PostalAddress?
    /// The new pickup point.
    public var relayPointID: Code?
    /// New quantities of existing lines (0 removes a line).
    public var lineChanges: [LineQuantityChange]
    /// The order's totals after the change; required when lines change.
    public var totals: OrderTotals?

    /// A value with every field given; optional fields default to absent.
    public init(
        changeID: EventID,
        orderNumber: OrderNumber,
        changedAt: Instant,
        deliveryAddress: PostalAddress? = nil,
        relayPointID: Code? = nil,
        lineChanges: [LineQuantityChange],
        totals: OrderTotals? = nil
    ) {
        self.changeID = changeID
        self.orderNumber = orderNumber
        self.changedAt = changedAt
        self.deliveryAddress = deliveryAddress
        self.relayPointID = relayPointID
        self.lineChanges = lineChanges
        self.totals = totals
    }

    private enum CodingKeys: String, CodingKey {
        case changeID = "change_id"
        case orderNumber = "order_number"
        case changedAt = "changed_at"
        case deliveryAddress = "delivery_address"
        case relayPointID = "relay_point_id"
        case lineChanges = "line_changes"
        case totals
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("change_id", .ref(.eventID), "The change's id."),
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .required("changed_at", .instant, "When the change was made."),
        .optional("delivery_address", PostalAddress.schema, "The new delivery address."),
        .optional("relay_point_id", .ref(.code), "The new pickup point."),
        .required("line_changes", .list(LineQuantityChange.schema), "New quantities of existing lines (0 removes a line)."),
        .optional("totals", OrderTotals.schema, "The order's totals after the change; required when lines change.")
    )

    /// A change changes something; totals come with line changes; line numbers are unique.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        let changesSomething = deliveryAddress != nil || relayPointID != nil || !lineChanges.isEmpty
        check.expect(changesSomething, root, .inconsistent(rule: "an order change must change the delivery address, the relay point or lines"))
        if !lineChanges.isEmpty { check.expect(totals != nil, root.key("totals"), .missing) }
        if let totals { totals.check(&check, at: root.key("totals"), currency: totals.totalInclTax.currency) }
        check.unique(lineChanges.map(\.lineNumber), { root.key("line_changes").index($0).key("line_number") }, "line number")
        return check.problems
    }
}

/// A new quantity for an order line.
public struct LineQuantityChange: Codable, Sendable, Hashable {
    /// The line number in the order.
    public var lineNumber: Int
    /// The line's SKU, repeated as a check.
    public var sku: SKU
    /// The new quantity; 0 removes the line.
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
        .required("line_number", .integer(minimum: 1), "The line number in the order."),
        .required("sku", .ref(.sku), "The line's SKU, repeated as a check."),
        .required("quantity", .nonNegativeQuantity, "The new quantity; 0 removes the line.")
    )
}
