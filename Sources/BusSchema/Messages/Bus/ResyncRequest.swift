/// An operator's request that a worker republish its outputs (topic `bus.control`, key: the worker name), e.g. after a reader lost data.
public struct ResyncRequest: BusMessage {
    /// "bus.resync-request".
    public static let messageType = "bus.resync-request"
    /// Version 1.
    public static let schemaVersion = 1
    /// An operator's request that a worker republish its outputs.
    public static let summary = "An operator's request that a worker republish its outputs."

    /// The request's id; a worker runs each id once.
    public var requestID: EventID
    /// The worker that must act; the record key.
    public var worker: WorkerName
    /// all, or only the keys listed.
    public var scope: ResyncScope
    /// The entity keys to republish, for scope keys.
    public var keys: [String]
    /// Why, for the audit trail.
    public var reason: String
    /// The operator.
    public var requestedBy: String
    /// When it was asked.
    public var requestedAt: Instant

    /// A value with every field given.
    public init(
        requestID: EventID,
        worker: WorkerName,
        scope: ResyncScope,
        keys: [String],
        reason: String,
        requestedBy: String,
        requestedAt: Instant
    ) {
        self.requestID = requestID
        self.worker = worker
        self.scope = scope
        self.keys = keys
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
    }

    private enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case worker
        case scope
        case keys
        case reason
        case requestedBy = "requested_by"
        case requestedAt = "requested_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("request_id", .ref(.eventID), "The request's id; a worker runs each id once."),
        .required("worker", .oneOf(WorkerName.self), "The worker that must act; the record key."),
        .required("scope", .oneOf(ResyncScope.self), "all, or only the keys listed."),
        .required("keys", .list(.text(maximumLength: 128), maximumCount: 10000), "The entity keys to republish, for scope keys."),
        .required("reason", .text(maximumLength: 500), "Why, for the audit trail."),
        .required("requested_by", .text(maximumLength: 100), "The operator."),
        .required("requested_at", .instant, "When it was asked.")
    )

    /// scope keys lists keys; scope all lists none.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        switch scope {
        case .keys: check.expect(!keys.isEmpty, root.key("keys"), .empty)
        case .all: check.expect(keys.isEmpty, root.key("keys"), .inconsistent(rule: "scope all lists no keys"))
        }
        return check.problems
    }
}

/// What a resync covers.
public enum ResyncScope: String, Codable, Sendable, Hashable, CaseIterable {
    /// Everything the worker holds.
    case all
    /// Only the keys listed.
    case keys
}
