/// The ERP's answer to a price query (topic `erp.price-answers`, key: the query's record key;
/// `ce_correlationid`: the query's): the customer's net unit prices, as the ERP computes them
/// (price list, discounts, quantity breaks).
public struct ERPPriceAnswer: BusMessage {
    /// "erp.price-answer".
    public static let messageType = "erp.price-answer"
    /// Version 1.
    public static let schemaVersion = 1
    /// The ERP's net prices, answering a price query.
    public static let summary = "The ERP's net prices for a customer, answering erp.price-queries (same key and correlation id)."

    /// The ERP account priced.
    public var erpAccountCode: ERPAccountCode
    /// Per line asked: the net prices.
    public var lines: [PricedLine]
    /// When the ERP computed them.
    public var computedAt: Instant

    /// A value with every field given.
    public init(erpAccountCode: ERPAccountCode, lines: [PricedLine], computedAt: Instant) {
        self.erpAccountCode = erpAccountCode
        self.lines = lines
        self.computedAt = computedAt
    }

    private enum CodingKeys: String, CodingKey {
        case erpAccountCode = "erp_account_code"
        case lines
        case computedAt = "computed_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("erp_account_code", .ref(.erpAccountCode), "The ERP account priced."),
        .required("lines", .list(PricedLine.schema, maximumCount: PriceQuery.maximumLines), "Per line asked: the net prices."),
        .required("computed_at", .instant, "When the ERP computed them.")
    )

    /// One currency throughout.
    public func validate() -> [ValidationProblem] {
        PricedLine.oneCurrency(lines)
    }
}

/// The net price of one SKU at one quantity.
public struct PricedLine: Codable, Sendable, Hashable {
    /// The SKU.
    public var sku: SKU
    /// The quantity priced.
    public var quantity: Quantity
    /// The net unit price excluding tax.
    public var unitPriceExclTax: Money
    /// The net unit price including tax, when known.
    public var unitPriceInclTax: Money?
    /// The quantity × the unit price excluding tax (half-up to the minor unit); the bus fills it in when absent.
    public var lineTotalExclTax: Money?
    /// The price list the price comes from (absent: public price or the ERP's own computation).
    public var priceList: PriceListCode?
    /// The quantity break the price applies from.
    public var minimumQuantity: Quantity?

    /// A value with every field given; optional fields default to absent.
    public init(sku: SKU, quantity: Quantity, unitPriceExclTax: Money, unitPriceInclTax: Money? = nil, lineTotalExclTax: Money? = nil,
                priceList: PriceListCode? = nil, minimumQuantity: Quantity? = nil) {
        self.sku = sku
        self.quantity = quantity
        self.unitPriceExclTax = unitPriceExclTax
        self.unitPriceInclTax = unitPriceInclTax
        self.lineTotalExclTax = lineTotalExclTax
        self.priceList = priceList
        self.minimumQuantity = minimumQuantity
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case quantity
        case unitPriceExclTax = "unit_price_excl_tax"
        case unitPriceInclTax = "unit_price_incl_tax"
        case lineTotalExclTax = "line_total_excl_tax"
        case priceList = "price_list"
        case minimumQuantity = "minimum_quantity"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("sku", .ref(.sku), "The SKU."),
        .required("quantity", .positiveQuantity, "The quantity priced."),
        .required("unit_price_excl_tax", .money(.nonNegative), "The net unit price excluding tax."),
        .optional("unit_price_incl_tax", .money(.nonNegative), "The net unit price including tax, when known."),
        .optional("line_total_excl_tax", .money(.nonNegative), "The quantity × the unit price excluding tax (half-up to the minor unit); the bus fills it in when absent."),
        .optional("price_list", .ref(.priceListCode), "The price list the price comes from (absent: public price or the ERP's own computation)."),
        .optional("minimum_quantity", .positiveQuantity, "The quantity break the price applies from.")
    )

    /// This line with its total filled in when absent.
    public func totalled() throws(SchemaError) -> PricedLine {
        guard lineTotalExclTax == nil else { return self }
        var line = self
        line.lineTotalExclTax = try unitPriceExclTax.multiplied(by: quantity, rounding: .halfUp)
        return line
    }

    /// A problem for each amount in another currency than the first line's.
    static func oneCurrency(_ lines: [PricedLine]) -> [ValidationProblem] {
        var check = RuleCheck()
        guard let currency = lines.first?.unitPriceExclTax.currency else { return [] }
        for (index, line) in lines.enumerated() {
            let path = JSONPath.root.key("lines").index(index)
            check.currency(line.unitPriceExclTax, currency, path.key("unit_price_excl_tax"))
            if let incl = line.unitPriceInclTax { check.currency(incl, currency, path.key("unit_price_incl_tax")) }
            if let total = line.lineTotalExclTax { check.currency(total, currency, path.key("line_total_excl_tax")) }
        }
        return check.problems
    }
}
