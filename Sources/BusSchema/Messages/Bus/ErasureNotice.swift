/// The bus's own word that a person was erased (topic `bus.erasures`, key: the site account id),
/// published by customer-sync once it has handled the site's erasure request, and read whole
/// by every worker that keeps orders: each one anonymises what its state holds of the person.
///
/// Orders are found by the site account they were placed from (guest checkouts, which have
/// none, are not reached: the site erases those by order). It carries identifiers only (never a name, e-mail or address), so it may stay on its
/// compacted topic for ever: a worker that starts, or takes over a partition, later applies
/// every erasure again and finds nothing left to erase.
public struct ErasureNotice: BusMessage {
    /// "bus.erasure".
    public static let messageType = "bus.erasure"
    /// Version 1.
    public static let schemaVersion = 1
    /// The bus's word that a person was erased.
    public static let summary = "The bus's word that a person was erased: every worker anonymises what it holds of them."

    /// The site's erasure request id, for the audit trail.
    public var requestID: EventID
    /// The erased site account; the record key.
    public var siteAccountID: SiteAccountID
    /// When the site asked.
    public var requestedAt: Instant

    /// A value with every field given.
    public init(requestID: EventID, siteAccountID: SiteAccountID, requestedAt: Instant) {
        self.requestID = requestID
        self.siteAccountID = siteAccountID
        self.requestedAt = requestedAt
    }

    private enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case siteAccountID = "site_account_id"
        case requestedAt = "requested_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("request_id", .ref(.eventID), "The site's erasure request id, for the audit trail."),
        .required("site_account_id", .ref(.siteAccountID), "The erased site account; the record key."),
        .required("requested_at", .instant, "When the site asked.")
    )
}

extension ErasureNotice {
    /// The record on `bus.exceptions` that `worker` erased what it held of the person: keyed by
    /// the site account id, carrying ids only, with an id made from the worker and the request
    /// so that however often it is written it is the same record.
    public func completion(by worker: WorkerName) -> FlowOutput {
        let exception = BusinessException(
            exceptionID: EventID.fromFacts("erasure", [worker.rawValue, requestID.rawValue]), kind: .erasureCompleted,
            entity: EntityReference(kind: .customer, key: siteAccountID.rawValue), worker: worker,
            reason: "The person's data was erased from this worker's state; its changelog and compacted outputs are rewritten.",
            details: ["request_id": requestID.rawValue], causeEventID: requestID.rawValue, raisedAt: requestedAt)
        return FlowOutput(topic: Topics.exceptions, key: siteAccountID.rawValue, message: exception)
    }
}

extension ErasureNotice {
    /// The bus's notice of the site's `request`.
    public init(_ request: ErasureRequest) {
        self.init(requestID: request.requestID, siteAccountID: request.siteAccountID, requestedAt: request.requestedAt)
    }
}
