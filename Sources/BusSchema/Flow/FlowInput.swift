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

    /// An input; the runtime builds these, tests build them by hand.
    public init(envelope: Envelope, message: any BusMessage, key: String?, topic: String) {
        self.envelope = envelope
        self.message = message
        self.key = key
        self.topic = topic
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

    /// An output carrying `message`.
    public init(topic: String, key: String? = nil, message: any BusMessage, delivery: Delivery = .immediate) {
        self.topic = topic
        self.key = key
        self.payload = .message(message)
        self.delivery = delivery
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
