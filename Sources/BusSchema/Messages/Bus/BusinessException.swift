/// A business case a person must decide, raised by a worker (topic `bus.exceptions`, key: the entity key).
/// The flow goes on; operators and the site's back office read these.
public struct BusinessException: BusMessage {
    /// "bus.business-exception".
    public static let messageType = "bus.business-exception"
    /// Version 1.
    public static let schemaVersion = 1
    /// A business case a person must decide.
    public static let summary = "A business case a person must decide."

    /// The exception's id.
    public var exceptionID: EventID
    /// What kind of case.
    public var kind: ExceptionKind
    /// What it is about; its key is the record key.
    public var entity: EntityReference
    /// The worker that raised it.
    public var worker: WorkerName
    /// A plain sentence for a person; no personal data.
    public var reason: String
    /// Facts that help decide (expected_total, found_total, ...); no personal data.
    public var details: [String: String]
    /// The ce_id of the input that raised it.
    public var causeEventID: String?
    /// When it was raised (the input's time).
    public var raisedAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        exceptionID: EventID,
        kind: ExceptionKind,
        entity: EntityReference,
        worker: WorkerName,
        reason: String,
        details: [String: String],
        causeEventID: String? = nil,
        raisedAt: Instant
    ) {
        self.exceptionID = exceptionID
        self.kind = kind
        self.entity = entity
        self.worker = worker
        self.reason = reason
        self.details = details
        self.causeEventID = causeEventID
        self.raisedAt = raisedAt
    }

    private enum CodingKeys: String, CodingKey {
        case exceptionID = "exception_id"
        case kind
        case entity
        case worker
        case reason
        case details
        case causeEventID = "cause_event_id"
        case raisedAt = "raised_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("exception_id", .ref(.eventID), "The exception's id."),
        .required("kind", .oneOf(ExceptionKind.self), "What kind of case."),
        .required("entity", EntityReference.schema, "What it is about; its key is the record key."),
        .required("worker", .oneOf(WorkerName.self), "The worker that raised it."),
        .required("reason", .text(maximumLength: 500), "A plain sentence for a person; no personal data."),
        .required("details", .map(keys: StringRule(maximumLength: 64, pattern: "^[a-z][a-z0-9_]{0,63}$", patternName: "a detail name such as expected_total"), values: .text(maximumLength: 1000), minimumCount: 0), "Facts that help decide (expected_total, found_total, ...); no personal data."),
        .optional("cause_event_id", .text(maximumLength: 200), "The ce_id of the input that raised it."),
        .required("raised_at", .instant, "When it was raised (the input's time).")
    )
}

/// The business entity an exception is about.
public struct EntityReference: Codable, Sendable, Hashable {
    /// What kind of entity.
    public var kind: EntityKind
    /// Its key (account code, SKU, order number, ...).
    public var key: String

    /// A value with every field given.
    public init(kind: EntityKind, key: String) {
        self.kind = kind
        self.key = key
    }

    private enum CodingKeys: String, CodingKey {
        case kind
        case key
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("kind", .oneOf(EntityKind.self), "What kind of entity."),
        .required("key", .text(maximumLength: 128), "Its key (account code, SKU, order number, ...).")
    )
}

/// Kinds of business exceptions.
public enum ExceptionKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// Site and ERP accounts disagree and no rule decides.
    case customerConflict = "customer_conflict"
    /// An order's customer has no ERP account.
    case unknownCustomer = "unknown_customer"
    /// A SKU is not in the catalog.
    case unknownSku = "unknown_sku"
    /// A price differs from the catalog.
    case priceMismatch = "price_mismatch"
    /// Totals differ by more than the rounding tolerance.
    case roundingBeyondTolerance = "rounding_beyond_tolerance"
    /// Payments and invoices do not match.
    case paymentMismatch = "payment_mismatch"
    /// The customer paid more than invoiced.
    case overpayment
    /// A payment matches no order.
    case unmatchedPayment = "unmatched_payment"
    /// A worker erased what it held of a person (GDPR): the record of the erasure done, with
    /// ids only. Nothing is left to decide.
    case erasureCompleted = "erasure_completed"
    /// Anything else; see reason.
    case other
}

/// Kinds of business entities.
public enum EntityKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// A customer account.
    case customer
    /// An article.
    case article
    /// A stock level.
    case stock
    /// An order.
    case order
    /// A payment.
    case payment
    /// An invoice or credit note.
    case invoice
}

/// The bus's six workers.
public enum WorkerName: String, Codable, Sendable, Hashable, CaseIterable {
    /// Synchronises customer accounts.
    case customerSync = "customer-sync"
    /// Publishes the catalog.
    case articlePublisher = "article-publisher"
    /// Publishes availability.
    case stockBroadcaster = "stock-broadcaster"
    /// Sends site orders to the ERP.
    case orderIngest = "order-ingest"
    /// Books and matches payments.
    case paymentLetterer = "payment-letterer"
    /// Tells the site and customers where orders stand.
    case statusNotifier = "status-notifier"
}
