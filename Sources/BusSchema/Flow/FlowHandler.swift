/// A message type on a topic: what a flow reads or writes, one row of its handler table.
public struct TopicMessage: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The topic, as named in `topics/topics.json`.
    public var topic: String
    /// The message type (CloudEvents `type`).
    public var messageType: String

    /// A row.
    public init(_ topic: String, _ messageType: String) {
        self.topic = topic
        self.messageType = messageType
    }

    /// A row for the message type `M`.
    public init<M: BusMessage>(_ topic: String, _ type: M.Type) {
        self.init(topic, M.messageType)
    }

    public static func < (lhs: TopicMessage, rhs: TopicMessage) -> Bool {
        (lhs.topic, lhs.messageType) < (rhs.topic, rhs.messageType)
    }

    /// "shop.orders/shop.order".
    public var description: String { "\(topic)/\(messageType)" }
}

/// One input a flow handles: a message type on one of its input topics, and what its record
/// key must be. A flow lists one per (topic, message type) it reads, including those it
/// reads and ignores; a test holds the list against the catalogue's readers and types.
public struct FlowHandler: Sendable, Hashable {
    /// What the record key of such an input is.
    public enum Key: Sendable, Hashable {
        /// The message's key field (`BusMessage.keyField`): the runtime checks it, for every
        /// flow, before the flow sees the input.
        case messageKey
        /// A key of the flow's own making (a re-keying topic's meeting point), which the flow
        /// checks itself.
        case flowDefined
    }

    /// The topic and message type.
    public var input: TopicMessage
    /// What the record key is.
    public var key: Key

    /// The handler of `type` on `topic`.
    public init<M: BusMessage>(_ topic: String, _ type: M.Type, key: Key = .messageKey) {
        self.input = TopicMessage(topic, type)
        self.key = key
    }
}
