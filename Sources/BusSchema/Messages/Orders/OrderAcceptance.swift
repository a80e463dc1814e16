/// Tells the site whether the bus accepted an order for the ERP, from order-ingest (topic `shop.order-tracking`, key: the order number).
/// held: waiting for a person (see bus.exceptions); refused: will not reach the ERP; awaiting_payment:
/// valid, waiting for its payment; cancelled: cancelled before it reached the ERP (its payment never came).
///
/// Version 2 added `awaiting_payment`, `cancelled` and the reason `payment_timeout`: new enum
/// values refuse what a version-1 reader validates, hence a new version (`OrderAcceptanceV1`
/// still reads version 1).
public struct OrderAcceptance: BusMessage {
    /// "shop.order-acceptance".
    public static let messageType = "shop.order-acceptance"
    /// Version 2.
    public static let schemaVersion = 2
    /// Whether the bus accepted an order for the ERP.
    public static let summary = "Whether the bus accepted an order for the ERP."

    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// accepted, held, refused, awaiting_payment or cancelled.
    public var status: AcceptanceStatus
    /// Why it is held, refused or cancelled; empty when accepted or awaiting payment.
    public var reasons: [AcceptanceReason]
    /// When the bus decided.
    public var decidedAt: Instant

    /// A value with every field given.
    public init(
        orderNumber: OrderNumber,
        status: AcceptanceStatus,
        reasons: [AcceptanceReason],
        decidedAt: Instant
    ) {
        self.orderNumber = orderNumber
        self.status = status
        self.reasons = reasons
        self.decidedAt = decidedAt
    }

    private enum CodingKeys: String, CodingKey {
        case orderNumber = "order_number"
        case status
        case reasons
        case decidedAt = "decided_at"
    }

    /// The JSON shape of the message.
    public static let schema = shape(version: 2)

    /// The shape of `version`: version 1 has neither the statuses nor the reason version 2 added.
    static func shape(version: Int) -> SchemaNode {
        let statuses = AcceptanceStatus.allCases.filter { version >= 2 || !$0.isVersion2 }.map(\.rawValue)
        return .object(
            .required("order_number", .ref(.orderNumber), "The order; the record key."),
            .required("status", .oneOf(statuses), version >= 2 ? "accepted, held, refused, awaiting_payment or cancelled." : "accepted, held or refused."),
            .required("reasons", .list(AcceptanceReason.shape(version: version)),
                      version >= 2 ? "Why it is held, refused or cancelled; empty when accepted or awaiting payment." : "Why it is held or refused; empty when accepted."),
            .required("decided_at", .instant, "When the bus decided.")
        )
    }

    /// Held, refused and cancelled orders give reasons; accepted ones and those awaiting payment give none.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        if status == .accepted || status == .awaitingPayment {
            check.expect(reasons.isEmpty, root.key("reasons"), .inconsistent(rule: "an accepted order, or one awaiting payment, has no reasons"))
        } else {
            check.expect(!reasons.isEmpty, root.key("reasons"), .empty)
        }
        return check.problems
    }
}

/// One reason an order is held or refused.
public struct AcceptanceReason: Codable, Sendable, Hashable {
    /// What is wrong.
    public var code: AcceptanceReasonCode
    /// The order line concerned, if one.
    public var lineNumber: Int?
    /// A sentence for customer service, without personal data.
    public var message: String

    /// A value with every field given; optional fields default to absent.
    public init(code: AcceptanceReasonCode, lineNumber: Int? = nil, message: String) {
        self.code = code
        self.lineNumber = lineNumber
        self.message = message
    }

    private enum CodingKeys: String, CodingKey {
        case code
        case lineNumber = "line_number"
        case message
    }

    /// The JSON shape.
    public static let schema = shape(version: OrderAcceptance.schemaVersion)

    /// The shape in `version` of the acceptance.
    static func shape(version: Int) -> SchemaNode {
        .object(
            .required("code", .oneOf(AcceptanceReasonCode.allCases.filter { version >= 2 || !$0.isVersion2 }.map(\.rawValue)), "What is wrong."),
            .optional("line_number", .integer(minimum: 1), "The order line concerned, if one."),
            .required("message", .text(maximumLength: 500), "A sentence for customer service, without personal data.")
        )
    }
}

/// What the bus decided about an order.
public enum AcceptanceStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Sent to the ERP.
    case accepted
    /// Waiting for a person.
    case held
    /// Will not be sent to the ERP.
    case refused
    /// Valid, waiting for its payment (version 2).
    case awaitingPayment = "awaiting_payment"
    /// Cancelled before it reached the ERP (version 2).
    case cancelled

    /// Added by version 2.
    var isVersion2: Bool { self == .awaitingPayment || self == .cancelled }
}

/// Why an order is held or refused.
public enum AcceptanceReasonCode: String, Codable, Sendable, Hashable, CaseIterable {
    /// A SKU is not in the catalog.
    case unknownSku = "unknown_sku"
    /// The site account is not linked to an ERP account yet.
    case unknownCustomer = "unknown_customer"
    /// A price differs from the catalog.
    case priceMismatch = "price_mismatch"
    /// The totals differ from the ERP computation by more than the tolerance.
    case roundingBeyondTolerance = "rounding_beyond_tolerance"
    /// The order number was already used for another order.
    case duplicateOrder = "duplicate_order"
    /// An address cannot be delivered to.
    case invalidAddress = "invalid_address"
    /// The ERP account is blocked.
    case blockedAccount = "blocked_account"
    /// Its payment did not come within the delay (`days_before_cancel`): cancelled (version 2).
    case paymentTimeout = "payment_timeout"

    /// Added by version 2.
    var isVersion2: Bool { self == .paymentTimeout }
}
