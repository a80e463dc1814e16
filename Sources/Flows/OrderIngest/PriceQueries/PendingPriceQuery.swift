import BusSchema

/// A live price query as order-ingest keeps it in the state of the query's partition (the
/// ERP's answer comes back under the same key, so to the same partition): waiting for the
/// ERP until `fallbackAt`, then answered, and kept until `keepUntil` so that a replayed
/// query or a late ERP answer finds it and answers nothing a second time.
///
/// Holds no personal data: the ERP account, never the site account.
public struct PendingPriceQuery: Codable, Sendable, Equatable {
    /// Where a query stands.
    public enum Stage: String, Codable, Sendable, Equatable {
        /// Relayed to the ERP, no answer yet.
        case waiting
        /// The site has its answer (from the ERP, the cache, the catalogue, or timeout).
        case answered
    }

    /// The asker's correlation id.
    public var correlationID: String
    /// The asker's reply key (the record key of the query, the ERP query and both answers).
    public var replyKey: String
    /// Where the answer goes.
    public var replyTo: String
    /// The asker's deadline.
    public var deadline: Instant
    /// When order-ingest stops waiting for the ERP and answers from the catalogue.
    public var fallbackAt: Instant
    /// The ERP account, its price list, the lines asked.
    public var question: ERPPriceQuery
    /// Waiting or answered.
    public var stage: Stage
    /// When the record is forgotten once answered.
    public var keepUntil: Instant

    /// How long an answered query is kept after its deadline, against replays of the query
    /// (an uncommitted input is read again within seconds) and late ERP answers.
    public static let keptAfterDeadlineSeconds: Int64 = 600

    /// A query relayed at `receivedAt`, waiting until `fallbackAt`.
    public init(correlationID: String, replyKey: String, replyTo: String, deadline: Instant, fallbackAt: Instant,
                question: ERPPriceQuery, stage: Stage = .waiting) {
        self.correlationID = correlationID
        self.replyKey = replyKey
        self.replyTo = replyTo
        self.deadline = deadline
        self.fallbackAt = fallbackAt
        self.question = question
        self.stage = stage
        self.keepUntil = deadline.adding(seconds: Self.keptAfterDeadlineSeconds)
    }

    private enum CodingKeys: String, CodingKey {
        case correlationID = "correlation_id"
        case replyKey = "reply_key"
        case replyTo = "reply_to"
        case deadline
        case fallbackAt = "fallback_at"
        case question
        case stage
        case keepUntil = "keep_until"
    }

    /// The state key of the query `correlationID` of the asker `replyKey`: no order number
    /// starts with "~", and two askers may use the same correlation id.
    public static func stateKey(replyKey: String, correlationID: String) -> String {
        "~price-query/\(replyKey)/\(correlationID)"
    }

    /// Its timer: the fallback while waiting, the forgetting once answered.
    public var wakeTime: Instant { stage == .waiting ? fallbackAt : keepUntil }

    /// The answer's attributes: the asker's correlation id.
    public var conversation: FlowOutput.Conversation { FlowOutput.Conversation(correlationID: correlationID) }

    /// The id of the query's answer, from the asker's reply key and correlation id only.
    public var answerID: EventID { EventID.fromFacts("price-answer", [replyKey, correlationID]) }

    /// `answer` to the asker: on the reply topic, under the reply key, with the correlation id,
    /// and with the one `ce_id` of this query's answer (`answerID`) whichever input or timer
    /// gave it. An answer is given once, but "answered" is state, written after the answer
    /// is delivered: a crash in between leaves the successor a query still waiting, which it
    /// may answer again, from the ERP's answer read again or from its fallback moment, which
    /// by the wall clock can come first. The site deduplicating by `ce_id` keeps the first
    /// answer; one id per input would make the second look like a new answer.
    public func answer(_ answer: PriceAnswer) -> FlowOutput {
        FlowOutput(topic: replyTo, key: replyKey, message: answer, effectID: answerID, conversation: conversation)
    }
}
