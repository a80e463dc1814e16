/// A site's live question, for a B2B customer: what is this customer's net price for each of
/// these SKUs at these quantities? (topic `shop.price-queries`, key: the asking site
/// instance's reply key). A request: it carries `ce_correlationid`, `ce_replyto`
/// (`shop.price-answers`) and `ce_deadline`. order-ingest relays it to the ERP and answers
/// on `shop.price-answers` under the same key and correlation id.
public struct PriceQuery: BusMessage {
    /// "shop.price-query".
    public static let messageType = "shop.price-query"
    /// Version 1.
    public static let schemaVersion = 1
    /// A site's live question about a customer's net prices.
    public static let summary = "A site's live question about a customer's net prices for SKUs and quantities, answered by order-ingest on shop.price-answers (from the ERP, or indicative)."

    /// The most lines one query may ask about.
    public static let maximumLines = 200

    /// The customer's site account: order-ingest finds its ERP account and price list in the identity table.
    public var siteAccountID: SiteAccountID
    /// The SKUs and quantities asked about, each SKU once.
    public var lines: [PriceQueryLine]

    /// A query for `siteAccountID` about `lines`.
    public init(siteAccountID: SiteAccountID, lines: [PriceQueryLine]) {
        self.siteAccountID = siteAccountID
        self.lines = lines
    }

    private enum CodingKeys: String, CodingKey {
        case siteAccountID = "site_account_id"
        case lines
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("site_account_id", .ref(.siteAccountID), "The customer's site account: order-ingest finds its ERP account and price list in the identity table."),
        .required("lines", .list(PriceQueryLine.schema, minimumCount: 1, maximumCount: maximumLines), "The SKUs and quantities asked about, each SKU once.")
    )

    /// Each SKU is asked once.
    public func validate() -> [ValidationProblem] {
        PriceQueryLine.uniqueSKUs(lines)
    }
}

/// One SKU and quantity of a price query.
public struct PriceQueryLine: Codable, Sendable, Hashable {
    /// The SKU.
    public var sku: SKU
    /// The quantity the customer considers (quantity breaks depend on it).
    public var quantity: Quantity

    /// A line.
    public init(sku: SKU, quantity: Quantity) {
        self.sku = sku
        self.quantity = quantity
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case quantity
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("sku", .ref(.sku), "The SKU."),
        .required("quantity", .positiveQuantity, "The quantity the customer considers (quantity breaks depend on it).")
    )

    /// A problem for each SKU asked a second time, at `$.lines[i]`.
    static func uniqueSKUs(_ lines: [PriceQueryLine]) -> [ValidationProblem] {
        var check = RuleCheck()
        var seen = Set<SKU>()
        for (index, line) in lines.enumerated() {
            check.expect(seen.insert(line.sku).inserted, JSONPath.root.key("lines").index(index).key("sku"), .inconsistent(rule: "each SKU is asked once"))
        }
        return check.problems
    }
}
