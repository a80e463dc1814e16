/// stock-broadcaster's answer to an availability query (topic `shop.availability-answers`,
/// key: the query's record key, so the asking site instance reads it from its own partition;
/// `ce_correlationid`: the query's).
public struct AvailabilityAnswer: BusMessage {
    /// "shop.availability-answer".
    public static let messageType = "shop.availability-answer"
    /// Version 1.
    public static let schemaVersion = 1
    /// The availability of a cart's SKUs, answering a query.
    public static let summary = "The availability of a cart's SKUs, answering an availability query (same correlation id)."

    /// answered, or timeout when the deadline passed before the query was read (no items).
    public var status: AnswerStatus
    /// Per SKU asked, in the query's order; empty for a timeout.
    public var items: [AvailabilityItem]
    /// When the bus answered.
    public var answeredAt: Instant
    /// Why, for a timeout.
    public var reason: String?

    /// A value with every field given; the reason defaults to absent.
    public init(status: AnswerStatus, items: [AvailabilityItem], answeredAt: Instant, reason: String? = nil) {
        self.status = status
        self.items = items
        self.answeredAt = answeredAt
        self.reason = reason
    }

    private enum CodingKeys: String, CodingKey {
        case status
        case items
        case answeredAt = "answered_at"
        case reason
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("status", .oneOf([AnswerStatus.answered.rawValue, AnswerStatus.timeout.rawValue]), "answered, or timeout when the deadline passed before the query was read (no items)."),
        .required("items", .list(AvailabilityItem.schema, maximumCount: AvailabilityQuery.maximumSKUs), "Per SKU asked, in the query's order; empty for a timeout."),
        .required("answered_at", .instant, "When the bus answered."),
        .optional("reason", .text(maximumLength: 500), "Why, for a timeout.")
    )

    /// A timeout has no items; an answer has some.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        check.expect(status != .indicative, JSONPath.root.key("status"), .notAllowed(allowed: [AnswerStatus.answered.rawValue, AnswerStatus.timeout.rawValue]))
        check.expect((status == .timeout) == items.isEmpty, JSONPath.root.key("items"), .inconsistent(rule: "items is empty exactly when status is timeout"))
        return check.problems
    }
}

/// How a live query was answered.
public enum AnswerStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// From the bus's state (availability) or the ERP (price).
    case answered
    /// From what the bus knows, when the ERP did not answer in time (price).
    case indicative
    /// The deadline passed first: no figures.
    case timeout
}

/// The availability of one SKU asked about.
public struct AvailabilityItem: Codable, Sendable, Hashable {
    /// The SKU asked about.
    public var sku: SKU
    /// As the rules publish it (in_stock, limited, out_of_stock), after the quantities of
    /// orders in flight; unknown when the bus holds no stock figures for the SKU.
    public var status: QueriedAvailability
    /// The sellable quantity, in quantity mode, after the orders in flight.
    public var quantity: Quantity?
    /// When more is expected, for an article out of stock.
    public var nextAvailableOn: LocalDate?
    /// Out of stock but orderable.
    public var onOrder: Bool?
    /// What orders seen by the bus and not yet reserved by the ERP hold of it.
    public var inFlight: Quantity

    /// A value with every field given; optional fields default to absent.
    public init(sku: SKU, status: QueriedAvailability, quantity: Quantity? = nil, nextAvailableOn: LocalDate? = nil,
                onOrder: Bool? = nil, inFlight: Quantity = .zero) {
        self.sku = sku
        self.status = status
        self.quantity = quantity
        self.nextAvailableOn = nextAvailableOn
        self.onOrder = onOrder
        self.inFlight = inFlight
    }

    private enum CodingKeys: String, CodingKey {
        case sku
        case status
        case quantity
        case nextAvailableOn = "next_available_on"
        case onOrder = "on_order"
        case inFlight = "in_flight"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("sku", .ref(.sku), "The SKU asked about."),
        .required("status", .oneOf(QueriedAvailability.self), "As the rules publish it, after the quantities of orders in flight; unknown when the bus holds no stock figures for the SKU."),
        .optional("quantity", .nonNegativeQuantity, "The sellable quantity, in quantity mode, after the orders in flight."),
        .optional("next_available_on", .date, "When more is expected, for an article out of stock."),
        .optional("on_order", .boolean, "Out of stock but orderable."),
        .required("in_flight", .nonNegativeQuantity, "What orders seen by the bus and not yet reserved by the ERP hold of it.")
    )
}

/// A queried SKU's availability.
public enum QueriedAvailability: String, Codable, Sendable, Hashable, CaseIterable {
    /// Available.
    case inStock = "in_stock"
    /// Only a few left.
    case limited
    /// Not available now.
    case outOfStock = "out_of_stock"
    /// The bus holds no stock figures for it.
    case unknown

    /// The status the site is shown.
    public init(_ status: AvailabilityStatus) {
        switch status {
        case .inStock: self = .inStock
        case .limited: self = .limited
        case .outOfStock: self = .outOfStock
        }
    }
}
