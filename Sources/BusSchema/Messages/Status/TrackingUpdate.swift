/// What the site shows on an order's page, from status-notifier (topic `shop.order-tracking`, key: the order number).
/// Sent whole; the highest sequence wins.
public struct TrackingUpdate: BusMessage {
    /// "shop.tracking-update".
    public static let messageType = "shop.tracking-update"
    /// Version 1.
    public static let schemaVersion = 1
    /// What the site shows on an order's page.
    public static let summary = "What the site shows on an order's page."

    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// The status shown.
    public var status: TrackingStatus
    /// The ERP status sequence this comes from.
    public var sequence: Int
    /// Shipments with their tracking.
    public var shipments: [Shipment]
    /// Why it is delayed, when it is.
    public var delay: OrderProblemKind?
    /// When it should arrive, if known.
    public var expectedDeliveryOn: LocalDate?
    /// Documents the customer can fetch (acknowledgement, invoices); absent when none.
    public var documents: [OrderDocument]?
    /// When the status changed.
    public var updatedAt: Instant
    /// For an order entered in the ERP (no site order): the site customer whose order history
    /// it belongs to, found through the identity link of its ERP account.
    public var siteAccountID: SiteAccountID?
    /// The order's returns and where each stands (requested, received, accepted, refused,
    /// refunded); absent when none.
    public var returns: [ReturnProgress]?

    /// A value with every field given; optional fields default to absent.
    public init(
        orderNumber: OrderNumber,
        status: TrackingStatus,
        sequence: Int,
        shipments: [Shipment],
        delay: OrderProblemKind? = nil,
        expectedDeliveryOn: LocalDate? = nil,
        documents: [OrderDocument]? = nil,
        updatedAt: Instant,
        siteAccountID: SiteAccountID? = nil,
        returns: [ReturnProgress]? = nil
    ) {
        self.orderNumber = orderNumber
        self.status = status
        self.sequence = sequence
        self.shipments = shipments
        self.delay = delay
        self.expectedDeliveryOn = expectedDeliveryOn
        self.documents = documents
        self.updatedAt = updatedAt
        self.siteAccountID = siteAccountID
        self.returns = returns
    }

    private enum CodingKeys: String, CodingKey {
        case orderNumber = "order_number"
        case status
        case sequence
        case shipments
        case delay
        case expectedDeliveryOn = "expected_delivery_on"
        case documents
        case updatedAt = "updated_at"
        case siteAccountID = "site_account_id"
        case returns
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .required("status", .oneOf(TrackingStatus.self), "The status shown."),
        .required("sequence", .integer(minimum: 1), "The ERP status sequence this comes from."),
        .required("shipments", .list(Shipment.schema), "Shipments with their tracking."),
        .optional("delay", .oneOf(OrderProblemKind.self), "Why it is delayed, when it is."),
        .optional("expected_delivery_on", .date, "When it should arrive, if known."),
        .optional("documents", .list(OrderDocument.schema), "Documents the customer can fetch (acknowledgement, invoices); absent when none."),
        .required("updated_at", .instant, "When the status changed."),
        .optional("site_account_id", .ref(.siteAccountID), "For an order entered in the ERP (no site order): the site customer whose order history it belongs to."),
        .optional("returns", .list(ReturnProgress.schema), "The order's returns and where each stands (requested, received, accepted, refused, refunded); absent when none.")
    )

    /// Shipped statuses have shipments.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        if [.partiallyShipped, .shipped, .delivered].contains(status) {
            check.expect(!shipments.isEmpty, root.key("shipments"), .empty)
        }
        return check.problems
    }
}

/// An order's status as customers see it.
public enum TrackingStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Confirmed.
    case confirmed
    /// Being prepared.
    case inPreparation = "in_preparation"
    /// Partly on its way.
    case partiallyShipped = "partially_shipped"
    /// On its way.
    case shipped
    /// Delivered.
    case delivered
    /// Cancelled.
    case cancelled
}
