/// One decoded, validated input record, as a flow sees it.
public struct FlowInput: Sendable {
    /// The record's CloudEvents attributes.
    public var envelope: Envelope
    /// The message, of the type named by the envelope.
    public var message: any BusMessage
    /// The record's key, read as UTF-8.
    public var key: String?
    /// The topic it was read from.
    public var topic: String
    /// The wall clock when the runtime read it (nil in replays and simulations): a request
    /// judges its deadline by it, since its asker waits in real time.
    public var receivedAt: Instant?

    /// An input; the runtime builds these, tests build them by hand.
    public init(envelope: Envelope, message: any BusMessage, key: String?, topic: String, receivedAt: Instant? = nil) {
        self.envelope = envelope
        self.message = message
        self.key = key
        self.topic = topic
        self.receivedAt = receivedAt
    }

    /// The message as `M`, or nil when it is of another type.
    public func message<M: BusMessage>(as type: M.Type) -> M? {
        message as? M
    }
}

/// A record a flow asks the runtime to produce.
public struct FlowOutput: Sendable {
    /// How the runtime may send an output.
    public enum Delivery: Sendable, Equatable {
        /// Sent as soon as the input is handled.
        case immediate
        /// Latest wins: held for a short moment, and replaced by a later output with the same
        /// topic and key. The inputs it replaced are committed once the later one is
        /// delivered. For outputs that describe a current state (availability), where the
        /// intermediate states of a burst are worth nothing.
        case coalesced
    }

    /// What the record carries.
    public enum Payload: Sendable {
        /// A message.
        case message(any BusMessage)
        /// No value: deletes the key in a compacted topic. The type names the envelope.
        case tombstone(messageType: String)
    }

    /// The destination topic.
    public var topic: String
    /// The record key; nil keeps the input's key.
    public var key: String?
    /// The message or tombstone.
    public var payload: Payload
    /// How it is sent.
    public var delivery: Delivery
    /// The effect's own id, derived from the facts it records (a receipt's from its payment's
    /// id), or nil. When set, the record's `ce_id` derives from it, the worker, the topic and
    /// the message type instead of from the input's id and the output's position: the same
    /// effect reached from another input (a successor replaying co-partitioned topics in
    /// another order) keeps its `ce_id`, so readers drop it as a repeat. Ignored on
    /// latest-wins topics, whose ids cover their content.
    public var effectID: EventID?

    /// The conversation attributes of an answer or a relayed request, set on its envelope in
    /// place of those derived from the cause: an answer given at a timer's moment carries
    /// the asker's correlation id all the same. Nil: derived (the cause's correlation).
    public var conversation: Conversation?

    /// A request's or an answer's CloudEvents attributes (`ce_correlationid`, `ce_replyto`,
    /// `ce_deadline`).
    public struct Conversation: Sendable, Equatable {
        /// The asker's correlation id.
        public var correlationID: String
        /// A relayed request's reply topic; nil for an answer.
        public var replyTo: String?
        /// A relayed request's deadline; nil for an answer.
        public var deadline: Instant?

        /// The attributes.
        public init(correlationID: String, replyTo: String? = nil, deadline: Instant? = nil) {
            self.correlationID = correlationID
            self.replyTo = replyTo
            self.deadline = deadline
        }
    }

    /// An output carrying `message`; `effectID` and `conversation` as the properties say.
    public init(topic: String, key: String? = nil, message: any BusMessage, delivery: Delivery = .immediate,
                effectID: EventID? = nil, conversation: Conversation? = nil) {
        self.topic = topic
        self.key = key
        self.payload = .message(message)
        self.delivery = delivery
        self.conversation = conversation
        self.effectID = effectID
    }

    /// A tombstone for `key` on a compacted topic.
    public static func tombstone<M: BusMessage>(topic: String, key: String, of type: M.Type) -> FlowOutput {
        var output = FlowOutput(topic: topic, key: key, payload: .tombstone(messageType: M.messageType))
        output.delivery = .immediate
        return output
    }

    private init(topic: String, key: String?, payload: Payload) {
        self.topic = topic
        self.key = key
        self.payload = payload
        self.delivery = .immediate
    }

    /// The message, when the output carries one.
    public var message: (any BusMessage)? {
        if case .message(let message) = payload { return message }
        return nil
    }
}

/// Why a flow refused an input: it goes to the dead-letter topic with this reason.
///
/// For input that is well-formed but cannot be processed (a rule says it is wrong, not a
/// person's decision: those are business exceptions, sent as outputs on `bus.exceptions`).
/// The reason and field are put in headers: they must not contain personal data.
public struct FlowRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON path of the offending field, when there is one.
    public var field: String?
    /// Why, in a sentence a person can act on.
    public var reason: String

    /// A rejection naming the field and the reason.
    public init(field: String?, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { field.map { "\($0): \(reason)" } ?? reason }
}
