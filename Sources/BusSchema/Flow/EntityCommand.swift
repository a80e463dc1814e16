/// An operator's command about one entity a flow keeps (an order to release), read from
/// `bus.control` by every instance of the worker it is keyed by. The runtime finds the state
/// partition of `entityKey` as Kafka's Java partitioner places it, and only the instance
/// owning that partition acts, once, on that partition alone.
public protocol EntityCommand: BusMessage {
    /// The state key of the entity the command is about.
    var entityKey: String { get }
}

extension OrderCommand: EntityCommand {
    /// The order number.
    public var entityKey: String { orderNumber.rawValue }
}
