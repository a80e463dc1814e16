import BusSchema

/// What order-ingest keeps in a partition's state: one record per order (state key: the
/// order number) and, in batched mode, the partition's queue of orders waiting for their
/// release (state key `ReleaseQueue.stateKey`, which no order number can take), and the index
/// of its held orders that a table record may free (`TableWaits.stateKey`).
public enum OrderIngestState: Codable, Sendable, Equatable {
    /// An order's record.
    case order(OrderRecord)
    /// The orders of the partition waiting for a release time.
    case releaseQueue(ReleaseQueue)
    /// The held orders of the partition that a table record may free.
    case tableWaits(TableWaits)
    /// A live price query waiting for the ERP, or answered and kept against a replay
    /// (state key `PendingPriceQuery.stateKey`).
    case priceQuery(PendingPriceQuery)
    /// A SKU's ERP prices still fresh (state key `PriceCache.stateKey(of:)`).
    case priceCache(PriceCache)
    /// What the partition's orders on account still owe, by account (state key `AccountExposure.stateKey`).
    case accountExposure(AccountExposure)

    private enum CodingKeys: String, CodingKey {
        case order
        case releaseQueue = "release_queue"
        case tableWaits = "table_waits"
        case priceQuery = "price_query"
        case priceCache = "price_cache"
        case accountExposure = "account_exposure"
    }

    /// Reads whichever of the two the value holds.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let queue = try container.decodeIfPresent(ReleaseQueue.self, forKey: .releaseQueue) {
            self = .releaseQueue(queue)
        } else if let waits = try container.decodeIfPresent(TableWaits.self, forKey: .tableWaits) {
            self = .tableWaits(waits)
        } else if let query = try container.decodeIfPresent(PendingPriceQuery.self, forKey: .priceQuery) {
            self = .priceQuery(query)
        } else if let cache = try container.decodeIfPresent(PriceCache.self, forKey: .priceCache) {
            self = .priceCache(cache)
        } else if let exposure = try container.decodeIfPresent(AccountExposure.self, forKey: .accountExposure) {
            self = .accountExposure(exposure)
        } else {
            self = .order(try container.decode(OrderRecord.self, forKey: .order))
        }
    }

    /// Writes `{"order": …}`, `{"release_queue": …}` or `{"table_waits": …}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .order(let record): try container.encode(record, forKey: .order)
        case .releaseQueue(let queue): try container.encode(queue, forKey: .releaseQueue)
        case .tableWaits(let waits): try container.encode(waits, forKey: .tableWaits)
        case .priceQuery(let query): try container.encode(query, forKey: .priceQuery)
        case .priceCache(let cache): try container.encode(cache, forKey: .priceCache)
        case .accountExposure(let exposure): try container.encode(exposure, forKey: .accountExposure)
        }
    }
}

/// Where an order stands in the bus.
public enum OrderStage: String, Codable, Sendable, Equatable {
    /// Nothing placed yet (a payment arrived first).
    case notPlaced = "not_placed"
    /// Valid, waiting for its payments to satisfy the import rules.
    case awaitingPayment = "awaiting_payment"
    /// Valid and paid as required, waiting for the next batched release.
    case scheduled
    /// Held for a person: see its reasons and the business exceptions.
    case held
    /// In the ERP (revision `revision`).
    case sent
    /// Will never go to the ERP through the bus (payment method never imported).
    case refused
    /// Cancelled before it reached the ERP.
    case cancelled
}

/// Everything order-ingest knows of one order.
public struct OrderRecord: Codable, Sendable, Equatable {
    /// Where it stands.
    public var stage: OrderStage = .notPlaced
    /// The order as placed (to recognise a repeated placement).
    public var placed: SiteOrder?
    /// The changes taken in, in order; the order now is `placed` with these applied.
    public var changes: [OrderChange] = []
    /// Why it is held.
    public var heldReasons: [AcceptanceReason] = []
    /// Batched: when it is due.
    public var releaseAt: Instant?
    /// The last revision sent to the ERP; 0 before.
    public var revision = 0
    /// The ERP account it was sent for.
    public var soldTo: ERPAccountCode?
    /// Captured minus refunded on the site, per payment method name.
    public var captured: [String: Money] = [:]
    /// The site payments taken in (ids), so a redelivered one counts once.
    public var payments: [PaymentID] = []
    /// The ERP status, from the highest sequence seen.
    public var erpStatus: OrderStatus?
    /// The sequence of `erpStatus`.
    public var statusSequence = 0
    /// Shipped quantity per line number, as the latest ERP status says.
    public var shipped: [Int: Quantity] = [:]
    /// Quantity per line number already sent back as return requests.
    public var returned: [Int: Quantity] = [:]
    /// Quantity per line number cancelled in the ERP after a partial shipment.
    public var cancelled: [Int: Quantity] = [:]
    /// Cancellation request ids and return numbers answered.
    public var answered: [String] = []
    /// The request whose cancellation of the whole order was sent to the ERP; nil before. A
    /// later request sends nothing: the ERP cancels the order once, whether or not its
    /// "cancelled" status has come back yet (nil in records written before it existed).
    public var cancellationSent: EventID?
    /// The time of the latest input about this order: retention counts from it (nil in records
    /// written before retention existed: they get a timer at their next input).
    public var lastEventAt: Instant?
    /// When it first waited for its payment: the payment delay (`days_before_cancel`) counts from it.
    public var awaitingSince: Instant?
    /// Changes to the order in the ERP that raised its total beyond what is paid, in order:
    /// not in `changes` (the ERP has not seen them) until the increase is paid.
    public var unpaidChanges: [OrderChange]?
    /// When the first of `unpaidChanges` began to wait: the payment delay counts from it.
    public var unpaidSince: Instant?
    /// Operators' releases and cancellations (`bus orders`), oldest first; nil before the first.
    public var decisions: [OperatorDecision]?
    /// B2B on account: what the order owes on the account's invoice (nil when nothing is on account).
    public var onAccount: AccountCharge?
    /// Held `credit_limit_exceeded`: the ERP account over its limit, whose falling exposure
    /// judges the order again (nil otherwise).
    public var creditHeldFor: ERPAccountCode?

    /// An empty record.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case stage, placed, changes, revision, captured, payments, shipped, returned, answered, cancelled
        case heldReasons = "held_reasons"
        case releaseAt = "release_at"
        case soldTo = "sold_to"
        case erpStatus = "erp_status"
        case statusSequence = "status_sequence"
        case lastEventAt = "last_event_at"
        case awaitingSince = "awaiting_since"
        case unpaidChanges = "unpaid_changes"
        case unpaidSince = "unpaid_since"
        case cancellationSent = "cancellation_sent"
        case decisions
        case onAccount = "on_account"
        case creditHeldFor = "credit_held_for"
    }

    /// The order as it stands now: as placed, with every change taken in.
    public func current() throws(SchemaError) -> SiteOrder? {
        guard var order = placed else { return nil }
        for change in changes { order = try order.applying(change) }
        return order
    }

    /// The order as it will stand once its unpaid changes are paid (`current()` without any).
    public func pending() throws(SchemaError) -> SiteOrder? {
        guard var order = try current() else { return nil }
        for change in unpaidChanges ?? [] { order = try order.applying(change) }
        return order
    }

}

/// The orders of one partition waiting for a batched release, by due time.
public struct ReleaseQueue: Codable, Sendable, Equatable {
    /// The state key of the queue: "~" comes before no order number ("^[A-Z0-9][A-Z0-9-]{2,31}$").
    public static let stateKey = "~release-queue"

    /// One waiting order.
    public struct Entry: Codable, Sendable, Equatable {
        /// The order.
        public var orderNumber: OrderNumber
        /// When it is due.
        public var releaseAt: Instant

        private enum CodingKeys: String, CodingKey {
            case orderNumber = "order_number"
            case releaseAt = "release_at"
        }
    }

    /// Waiting orders.
    public var entries: [Entry] = []

    /// An empty queue.
    public init() {}

    /// Adds or moves an order.
    public mutating func schedule(_ orderNumber: OrderNumber, at releaseAt: Instant) {
        remove(orderNumber)
        entries.append(Entry(orderNumber: orderNumber, releaseAt: releaseAt))
    }

    /// Takes an order out.
    public mutating func remove(_ orderNumber: OrderNumber) {
        entries.removeAll { $0.orderNumber == orderNumber }
    }

    /// Takes out the orders due at `now`, by due time then order number.
    public mutating func takeDue(at now: Instant) -> [OrderNumber] {
        let due = entries.filter { $0.releaseAt <= now }
            .sorted { ($0.releaseAt, $0.orderNumber) < ($1.releaseAt, $1.orderNumber) }
        entries.removeAll { $0.releaseAt <= now }
        return due.map(\.orderNumber)
    }
}
