/// A change to an order not yet shipped, made on the site (topic `shop.orders`, key: the order number).
/// Fields present are changed: lines requantified, repriced, removed or added, the delivery
/// address, the payments; order-ingest sends the ERP a new revision of the sales order once
/// the new total is paid as its payment rules require.
///
/// `added_lines`, `payments` and the line changes' unit prices are optional members added
/// within version 1 (the compatibility rule's one compatible change).
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
    /// New quantities (and, when given, unit prices) of existing lines (0 removes a line).
    public var lineChanges: [LineQuantityChange]
    /// New lines, numbered apart from every line the order has or had (absent: none).
    public var addedLines: [SiteOrderLine]?
    /// The order's totals after the change; required when lines change or are added.
    public var totals: OrderTotals?
    /// The order's payments after the change, adding up to its new total (absent: unchanged;
    /// an increase is then paid by captures on `shop.payments`).
    public var payments: [PaymentSummary]?

    /// A value with every field given; optional fields default to absent.
    public init(
        changeID: EventID,
        orderNumber: OrderNumber,
        changedAt: Instant,
        deliveryAddress: PostalAddress? = nil,
        relayPointID: Code? = nil,
        lineChanges: [LineQuantityChange],
        addedLines: [SiteOrderLine]? = nil,
        totals: OrderTotals? = nil,
        payments: [PaymentSummary]? = nil
    ) {
        self.changeID = changeID
        self.orderNumber = orderNumber
        self.changedAt = changedAt
        self.deliveryAddress = deliveryAddress
        self.relayPointID = relayPointID
        self.lineChanges = lineChanges
        self.addedLines = addedLines
        self.totals = totals
        self.payments = payments
    }

    private enum CodingKeys: String, CodingKey {
        case changeID = "change_id"
        case orderNumber = "order_number"
        case changedAt = "changed_at"
        case deliveryAddress = "delivery_address"
        case relayPointID = "relay_point_id"
        case lineChanges = "line_changes"
        case addedLines = "added_lines"
        case totals
        case payments
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("change_id", .ref(.eventID), "The change's id."),
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .required("changed_at", .instant, "When the change was made."),
        .optional("delivery_address", PostalAddress.schema, "The new delivery address."),
        .optional("relay_point_id", .ref(.code), "The new pickup point."),
        .required("line_changes", .list(LineQuantityChange.schema), "New quantities (and, when given, unit prices) of existing lines (0 removes a line)."),
        .optional("added_lines", .list(SiteOrderLine.schema, minimumCount: 1), "New lines, numbered apart from every line the order has or had."),
        .optional("totals", OrderTotals.schema, "The order's totals after the change; required when lines change or are added."),
        .optional("payments", .list(PaymentSummary.schema, minimumCount: 1),
                  "The order's payments after the change, adding up to its new total (absent: unchanged; an increase is then paid by captures on shop.payments). No card data.")
    )

    /// A change changes something; totals come with line changes and added lines; every amount
    /// is in the totals' currency; line numbers are unique; payments add up to the new total.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        let added = addedLines ?? []
        let changesSomething = deliveryAddress != nil || relayPointID != nil || !lineChanges.isEmpty || !added.isEmpty
        check.expect(changesSomething, root, .inconsistent(rule: "an order change must change the delivery address, the relay point or lines"))
        if !lineChanges.isEmpty || !added.isEmpty { check.expect(totals != nil, root.key("totals"), .missing) }
        if payments != nil { check.expect(totals != nil, root.key("totals"), .inconsistent(rule: "payments change with the totals they pay")) }
        check.unique(lineChanges.map(\.lineNumber) + added.map(\.lineNumber), { index in
            index < lineChanges.count ? root.key("line_changes").index(index).key("line_number")
                : root.key("added_lines").index(index - lineChanges.count).key("line_number")
        }, "line number")
        guard let totals else { return check.problems }
        let currency = totals.totalInclTax.currency
        totals.check(&check, at: root.key("totals"), currency: currency)
        for (index, lineChange) in lineChanges.enumerated() {
            LineQuantityChange.checkPrices(lineChange, &check, at: root.key("line_changes").index(index), currency: currency)
        }
        for (index, line) in added.enumerated() {
            let path = root.key("added_lines").index(index)
            for (name, amount) in [("unit_price_excl_tax", line.unitPriceExclTax), ("unit_price_incl_tax", line.unitPriceInclTax),
                                   ("total_excl_tax", line.totalExclTax), ("total_incl_tax", line.totalInclTax)] {
                check.currency(amount, currency, path.key(name))
            }
        }
        if let payments {
            for (index, payment) in payments.enumerated() { check.currency(payment.amount, currency, root.key("payments").index(index).key("amount")) }
            check.total(totals.totalInclTax, plus: payments.map(\.amount), root.key("payments"), "the payments must add up to total_incl_tax")
        }
        return check.problems
    }
}

/// A new quantity for an order line and, for a repricing, its new unit prices.
public struct LineQuantityChange: Codable, Sendable, Hashable {
    /// The line number in the order.
    public var lineNumber: Int
    /// The line's SKU, repeated as a check.
    public var sku: SKU
    /// The new quantity (the same one for a repricing alone); 0 removes the line.
    public var quantity: Quantity
    /// The new unit price including tax, before discounts (absent: unchanged).
    public var unitPriceInclTax: Money?
    /// The new unit price excluding tax, before discounts (absent with a new price including
    /// tax: that price netted at the line's rate, half-up).
    public var unitPriceExclTax: Money?

    /// A value with every field given; the prices default to unchanged.
    public init(lineNumber: Int, sku: SKU, quantity: Quantity, unitPriceInclTax: Money? = nil, unitPriceExclTax: Money? = nil) {
        self.lineNumber = lineNumber
        self.sku = sku
        self.quantity = quantity
        self.unitPriceInclTax = unitPriceInclTax
        self.unitPriceExclTax = unitPriceExclTax
    }

    private enum CodingKeys: String, CodingKey {
        case lineNumber = "line_number"
        case sku
        case quantity
        case unitPriceInclTax = "unit_price_incl_tax"
        case unitPriceExclTax = "unit_price_excl_tax"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("line_number", .integer(minimum: 1), "The line number in the order."),
        .required("sku", .ref(.sku), "The line's SKU, repeated as a check."),
        .required("quantity", .nonNegativeQuantity, "The new quantity (the same one for a repricing alone); 0 removes the line."),
        .optional("unit_price_incl_tax", .money(.nonNegative), "The new unit price including tax, before discounts (absent: unchanged)."),
        .optional("unit_price_excl_tax", .money(.nonNegative),
                  "The new unit price excluding tax, before discounts; given only with unit_price_incl_tax (absent: that price netted at the line's rate, half-up).")
    )

    /// A repricing gives the price including tax (the master), both in the order's currency.
    static func checkPrices(_ change: LineQuantityChange, _ check: inout RuleCheck, at path: JSONPath, currency: Currency) {
        if let incl = change.unitPriceInclTax { check.currency(incl, currency, path.key("unit_price_incl_tax")) }
        if let excl = change.unitPriceExclTax {
            check.currency(excl, currency, path.key("unit_price_excl_tax"))
            check.expect(change.unitPriceInclTax != nil, path.key("unit_price_incl_tax"), .missing)
        }
    }
}
