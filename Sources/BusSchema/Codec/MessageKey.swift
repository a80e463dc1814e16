/// Which field of a message is its record key: the entity whose order the key keeps and
/// whose partition (and so whose state) the key decides.
public struct MessageKey<Message: BusMessage>: Sendable {
    /// The field's JSON path, as a dead letter names it: `$.order_number`.
    public let path: String
    /// The field's value in a message.
    public let value: @Sendable (Message) -> String

    /// The key field at `path`, read by `value`.
    public init(_ path: String, _ value: @escaping @Sendable (Message) -> String) {
        self.path = path
        self.value = value
    }
}
