/// order-ingest's answer to a price query (topic `shop.price-answers`, key: the query's record
/// key, so the asking site instance reads it from its own partition; `ce_correlationid`: the
/// query's). `answered` with the ERP's prices (source `erp`, or `cache` when an ERP answer
/// still fresh priced every line), `indicative` with the catalogue's when the ERP did not
/// answer in time (source `catalogue`, with the reason), `timeout` when the deadline passed
/// before the bus read the query.
public struct PriceAnswer: BusMessage {
    /// "shop.price-answer".
    public static let messageType = "shop.price-answer"
    /// Version 1.
    public static let schemaVersion = 1
    /// A customer's net prices, answering a price query.
    public static let summary = "A customer's net prices answering a price query (same correlation id): from the ERP, its cache, or indicative from the catalogue."

    /// answered, indicative (the ERP did not answer in time: catalogue prices), or timeout (no lines).
    public var status: AnswerStatus
    /// Where the prices come from; absent for a timeout.
    public var source: PriceSource?
    /// Per line priced, in the query's order; empty for a timeout.
    public var lines: [PricedLine]
    /// SKUs asked about that could not be priced (indicative: not in the published catalogue).
    public var unpriced: [SKU]?
    /// When the bus answered.
    public var answeredAt: Instant
    /// Why, for an indicative answer or a timeout.
    public var reason: String?

    /// A value with every field given; optional fields default to absent.
    public init(status: AnswerStatus, source: PriceSource? = nil, lines: [PricedLine], unpriced: [SKU]? = nil, answeredAt: Instant, reason: String? = nil) {
        self.status = status
        self.source = source
        self.lines = lines
        self.unpriced = unpriced
        self.answeredAt = answeredAt
        self.reason = reason
    }

    private enum CodingKeys: String, CodingKey {
        case status
        case source
        case lines
        case unpriced
        case answeredAt = "answered_at"
        case reason
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("status", .oneOf(AnswerStatus.self), "answered, indicative (the ERP did not answer in time: catalogue prices), or timeout (no lines)."),
        .optional("source", .oneOf(PriceSource.self), "Where the prices come from: erp, cache (an ERP answer still fresh) or catalogue; absent for a timeout."),
        .required("lines", .list(PricedLine.schema, maximumCount: PriceQuery.maximumLines), "Per line priced, in the query's order; empty for a timeout."),
        .optional("unpriced", .list(.ref(.sku), maximumCount: PriceQuery.maximumLines), "SKUs asked about that could not be priced (indicative: not in the published catalogue)."),
        .required("answered_at", .instant, "When the bus answered."),
        .optional("reason", .text(maximumLength: 500), "Why, for an indicative answer or a timeout.")
    )

    /// A timeout has no lines and no source; an indicative answer says why; one currency.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        if status == .timeout {
            check.expect(lines.isEmpty, JSONPath.root.key("lines"), .inconsistent(rule: "a timeout has no lines"))
            check.expect(source == nil, JSONPath.root.key("source"), .inconsistent(rule: "a timeout has no source"))
        } else {
            check.expect(source != nil, JSONPath.root.key("source"), .inconsistent(rule: "an answer says where its prices come from"))
        }
        if status != .answered {
            check.expect(reason != nil, JSONPath.root.key("reason"), .inconsistent(rule: "an indicative answer or a timeout says why"))
        }
        return check.problems + PricedLine.oneCurrency(lines)
    }
}

/// Where a price answer's figures come from.
public enum PriceSource: String, Codable, Sendable, Hashable, CaseIterable {
    /// The ERP answered this query.
    case erp
    /// The ERP's answer to an earlier query, still fresh (per account, SKU and quantity break).
    case cache
    /// The published catalogue and the customer's price list (indicative).
    case catalogue
}
