/// An earlier version of a message, still read: its own shape (`schema`, `schemaVersion`)
/// around the current version's value, so that readers take the current value and handle one
/// type. The JSON of an earlier version is a current message without what was added since
/// (the compatibility rule made the addition a new version), so it decodes, encodes and
/// validates as the current value does: a message re-encodes to the same bytes.
public protocol PreviousVersion: BusMessage {
    /// The current version.
    associatedtype Current: BusMessage
    /// The value, as the current version holds it.
    var current: Current { get }
    /// The earlier-version message of `current` (whose values that version must know; its
    /// shape checks them).
    init(_ current: Current)
}

extension PreviousVersion {
    /// The current version's type: a version is of the same message.
    public static var messageType: String { Current.messageType }

    /// Reads the earlier version's JSON as a current value.
    public init(from decoder: any Decoder) throws {
        self.init(try Current(from: decoder))
    }

    /// Writes the current value's fields, as the earlier version has them.
    public func encode(to encoder: any Encoder) throws {
        try current.encode(to: encoder)
    }

    /// The current value's rules.
    public func validate() -> [ValidationProblem] { current.validate() }
}
