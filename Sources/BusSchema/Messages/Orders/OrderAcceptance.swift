/// Tells the site whether the bus accepted an order for the ERP, from order-ingest (topic `bus.order-acceptance`, key: the order number), shown
/// on `shop.order-tracking` by status-notifier until the ERP's first status.
/// held: waiting for a person (see bus.exceptions); refused: will not reach the ERP; awaiting_payment:
/// valid, waiting for its payment; cancelled: cancelled before it reached the ERP (its payment never came).
///
/// Version 2 added `awaiting_payment`, `cancelled` and the reason `payment_timeout`; version 3
/// the reason `credit_limit_exceeded` (B2B orders on account): new enum values refuse what an
/// older reader validates, hence a new version each time (`OrderAcceptanceV1` and
/// `OrderAcceptanceV2` still read the older ones).
public struct OrderAcceptance: BusMessage {
    /// "shop.order-acceptance".
    public static let messageType = "shop.order-acceptance"
    /// Version 3.
    public static let schemaVersion = 3
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
    public static let schema = shape(version: schemaVersion)

    /// The shape of `version`: only the statuses and reasons that version knew.
    static func shape(version: Int) -> SchemaNode {
        let statuses = AcceptanceStatus.allCases.filter { $0.sinceVersion <= version }.map(\.rawValue)
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
            .required("code", .oneOf(AcceptanceReasonCode.known(inAcceptanceVersion: version)), "What is wrong."),
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

    /// The version of `shop.order-acceptance` that added it.
    var sinceVersion: Int { self == .awaitingPayment || self == .cancelled ? 2 : 1 }
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
    /// The ERP account is blocked (or closed).
    case blockedAccount = "blocked_account"
    /// Its payment did not come within the delay (`days_before_cancel`): cancelled (version 2).
    case paymentTimeout = "payment_timeout"
    /// A B2B order on account would take the account's open amount beyond its credit limit (version 3).
    case creditLimitExceeded = "credit_limit_exceeded"

    /// The codes `version` of `shop.order-acceptance` knows (the operators' order queries
    /// name them too, version by version).
    static func known(inAcceptanceVersion version: Int) -> [String] {
        allCases.filter { $0.sinceVersion <= version }.map(\.rawValue)
    }

    /// The version of `shop.order-acceptance` that added it.
    var sinceVersion: Int {
        switch self {
        case .paymentTimeout: 2
        case .creditLimitExceeded: 3
        default: 1
        }
    }
}
