/// A site's live question: how available is each SKU of this cart now? (topic
/// `shop.availability-queries`, key: the asking site instance's reply key). A request: it
/// carries `ce_correlationid`, `ce_replyto` (`shop.availability-answers`) and `ce_deadline`.
public struct AvailabilityQuery: BusMessage {
    /// "shop.availability-query".
    public static let messageType = "shop.availability-query"
    /// Version 1.
    public static let schemaVersion = 1
    /// A site's live question about the availability of a cart's SKUs.
    public static let summary = "A site's live question about the availability of a cart's SKUs, answered by stock-broadcaster on shop.availability-answers."

    /// The most SKUs one query may ask about.
    public static let maximumSKUs = 200

    /// The SKUs asked about, each once.
    public var skus: [SKU]

    /// A query about `skus`.
    public init(skus: [SKU]) {
        self.skus = skus
    }

    private enum CodingKeys: String, CodingKey {
        case skus
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("skus", .list(.ref(.sku), minimumCount: 1, maximumCount: maximumSKUs), "The SKUs asked about (a cart), each once.")
    )

    /// Each SKU is asked once.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        var seen = Set<SKU>()
        for (index, sku) in skus.enumerated() {
            check.expect(seen.insert(sku).inserted, JSONPath.root.key("skus").index(index), .inconsistent(rule: "each SKU is asked once"))
        }
        return check.problems
    }
}
