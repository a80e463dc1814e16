/// A live query from the site, as a flow answers it: a CloudEvent with a correlation id, a
/// reply topic and a deadline (README "Request/reply").
///
/// Requests are not state: answering one changes no state and writes nothing to the
/// changelog. The runtime reads the request's attributes, judges its deadline and addresses
/// the answer; the flow only says what the answer is.
public struct FlowRequest: Sendable {
    /// The request as an input (envelope, message, record key, topic).
    public var input: FlowInput
    /// The asker's correlation id (`ce_correlationid`), carried unchanged on the answer.
    public var correlationID: String
    /// The topic the answer goes to (`ce_replyto`), one the flow declares for this request.
    public var replyTo: String
    /// The answer's record key: the request's record key, the asker's own reply key (a site
    /// instance reading only the partition its key hashes to gets its answers).
    public var replyKey: String
    /// After it, an answer is worth nothing (`ce_deadline`).
    public var deadline: Instant
    /// The wall clock when the runtime took the request in.
    public var now: Instant

    /// A request; the runtime builds these, tests build them by hand.
    public init(input: FlowInput, correlationID: String, replyTo: String, replyKey: String, deadline: Instant, now: Instant) {
        self.input = input
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.replyKey = replyKey
        self.deadline = deadline
        self.now = now
    }

    /// Whether the deadline has passed at `now`.
    public var isExpired: Bool { now >= deadline }

    /// The request attributes of `input`, or why they are missing or unusable: the answer
    /// topic must be `route`'s, the record key present.
    public static func read(_ input: FlowInput, route: RequestRoute, now: Instant) throws(FlowRejection) -> FlowRequest {
        let envelope = input.envelope
        guard let correlationID = envelope.correlationID else {
            throw FlowRejection(field: "ce_correlationid", reason: "a request must carry a correlation id, which its answer carries back")
        }
        guard let replyTo = envelope.replyTo else {
            throw FlowRejection(field: "ce_replyto", reason: "a request must name its reply topic (\(route.answer.topic))")
        }
        guard replyTo == route.answer.topic else {
            throw FlowRejection(field: "ce_replyto", reason: "\(route.request.messageType) requests are answered on \(route.answer.topic) only")
        }
        guard let deadline = envelope.deadline else {
            throw FlowRejection(field: "ce_deadline", reason: "a request must carry a deadline (an RFC 3339 instant) after which its answer is useless")
        }
        guard let replyKey = input.key, !replyKey.isEmpty else {
            throw FlowRejection(field: "key", reason: "a request's record key is the asker's reply key, and its answer's key: it must not be empty")
        }
        return FlowRequest(input: input, correlationID: correlationID, replyTo: replyTo, replyKey: replyKey, deadline: deadline, now: now)
    }
}

/// One request a flow answers: the (topic, message type) it reads, and the (topic, message
/// type) of its answer. A request topic is one of the flow's `inputs`, and its handler is
/// `.flowDefined` (the key is the asker's reply key, no field of the request).
public struct RequestRoute: Sendable, Hashable {
    /// The request's topic and type.
    public var request: TopicMessage
    /// The answer's topic and type.
    public var answer: TopicMessage

    /// Requests of type `Q` on `topic`, answered with `A` on `answerTopic`.
    public init<Q: BusMessage, A: BusMessage>(_ topic: String, _ request: Q.Type, answer answerTopic: String, _ answer: A.Type) {
        self.request = TopicMessage(topic, request)
        self.answer = TopicMessage(answerTopic, answer)
    }

    /// The input handler the request's topic needs.
    public var handler: FlowHandler { FlowHandler(request: request) }
}

extension FlowHandler {
    /// The handler of a request row: its key is the asker's, so `.flowDefined`.
    init(request row: TopicMessage) {
        self.input = row
        self.key = .flowDefined
    }
}

/// Read access, for answering a request, to the state of every partition this instance holds.
///
/// A request is not co-partitioned with the state it asks about (a cart spans SKUs of every
/// partition): the runtime finds each key's partition as Kafka's Java partitioner does.
public struct StateLookup<Value: Codable & Sendable & Equatable>: Sendable {
    /// What is known of a key.
    public enum Found: Sendable, Equatable {
        /// The partition's state holds this value.
        case value(Value)
        /// The partition is held here, and holds nothing for the key.
        case absent
        /// The key's partition is held by another instance (or none yet).
        case elsewhere
    }

    private let find: @Sendable (String) -> Found
    private let every: @Sendable () -> [(key: String, value: Value)]
    /// The state partitions held here, ascending.
    public let partitions: [Int]
    /// How many state partitions there are in all (0 when not known yet).
    public let partitionCount: Int

    /// A lookup answering with `find`, listing `every` value of the `partitions` held here.
    public init(partitions: [Int] = [], of partitionCount: Int = 0, every: @escaping @Sendable () -> [(key: String, value: Value)] = { [] },
                _ find: @escaping @Sendable (String) -> Found) {
        self.find = find
        self.every = every
        self.partitions = partitions
        self.partitionCount = partitionCount
    }

    /// Values given by hand, every key held here, in one partition of one: for tests.
    public init(_ values: [String: Value]) {
        self.find = { key in values[key].map(Found.value) ?? .absent }
        self.every = { values.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) } }
        self.partitions = [0]
        self.partitionCount = 1
    }

    /// Every key and value of the partitions held here, by key.
    public var entries: [(key: String, value: Value)] { every() }

    /// What is known of `key`.
    public subscript(key: String) -> Found { find(key) }
}
