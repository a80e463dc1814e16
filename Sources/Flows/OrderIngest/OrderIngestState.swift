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

    private enum CodingKeys: String, CodingKey {
        case order
        case releaseQueue = "release_queue"
        case tableWaits = "table_waits"
    }

    /// Reads whichever of the two the value holds.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let queue = try container.decodeIfPresent(ReleaseQueue.self, forKey: .releaseQueue) {
            self = .releaseQueue(queue)
        } else if let waits = try container.decodeIfPresent(TableWaits.self, forKey: .tableWaits) {
            self = .tableWaits(waits)
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
    /// The time of the latest input about this order: retention counts from it (nil in records
    /// written before retention existed: they get a timer at their next input).
    public var lastEventAt: Instant?
    /// When it first waited for its payment: the payment delay (`days_before_cancel`) counts from it.
    public var awaitingSince: Instant?

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
    }

    /// The order as it stands now: as placed, with every change taken in.
    public func current() throws(SchemaError) -> SiteOrder? {
        guard var order = placed else { return nil }
        for change in changes { order = try order.applying(change) }
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
