import BusSchema
import Foundation
import OrderIngestFlow

/// Runs order-ingest over inputs with one in-memory state partition, as the runtime would.
final class OrderBench {
    let flow: OrderIngest
    let store = StateStore<OrderIngestState>()
    var tables: StaticTables
    private var counter = 0

    init(_ rules: OrderIngestRules = .defaults, tables: StaticTables = Shop.tables) {
        flow = OrderIngest(rules: rules)
        self.tables = tables
    }

    /// The input the runtime would build for `message`, read from its topic.
    static func input(_ message: any BusMessage, key: String, id: String, at time: Instant) -> FlowInput {
        let topic: String = switch message {
        case is SitePayment: Topics.shopPayments
        case is ERPOrderStatus: Topics.erpOrderStatus
        default: Topics.shopOrders
        }
        let envelope = Envelope(id: id, source: "test", type: type(of: message).messageType, time: time)
        return FlowInput(envelope: envelope, message: message, key: key, topic: topic)
    }

    /// Handles `input` and applies its state changes; returns the outputs.
    func handle(_ input: FlowInput) throws -> [FlowOutput] {
        var state = FlowState(store: store)
        let outputs = try flow.handle(input, state: &state, tables: tables)
        store.apply(state.changes)
        return outputs
    }

    /// Handles `message` keyed by `key` at `time`, with a fresh input id.
    @discardableResult
    func handle(_ message: any BusMessage, key: String, at time: Instant = Shop.at(minutes: 600)) throws -> [FlowOutput] {
        counter += 1
        return try handle(Self.input(message, key: key, id: "in-\(counter)", at: time))
    }

    /// Places `order`.
    @discardableResult
    func place(_ order: SiteOrder, at time: Instant? = nil) throws -> [FlowOutput] {
        try handle(order, key: order.orderNumber.rawValue, at: time ?? order.placedAt)
    }

    /// A record of `table` read by the worker: the table holds it, then the flow is told.
    @discardableResult
    func publish(_ message: any BusMessage, in table: String, key: String, at time: Instant = Shop.at(minutes: 601)) throws -> [FlowOutput] {
        counter += 1
        tables = tables.adding(message, in: table, key: key)
        let envelope = Envelope(id: "table-\(counter)", source: "test", type: type(of: message).messageType, time: time)
        var state = FlowState(store: store)
        let outputs = try flow.tableChanged(FlowInput(envelope: envelope, message: message, key: key, topic: table), state: &state, tables: tables)
        store.apply(state.changes)
        return outputs
    }

    /// The partition restored, as after a restart: the flow's `restored` hook with the tables as they are.
    @discardableResult
    func restore(at time: Instant = Shop.at(minutes: 700)) throws -> [FlowOutput] {
        counter += 1
        var state = FlowState(store: store)
        let outputs = try flow.restored(cause: Envelope(id: "restore-\(counter)", source: "test", type: "bus.restore", time: time), state: &state, tables: tables)
        store.apply(state.changes)
        return outputs
    }

    /// The record kept for `number`.
    func record(_ number: String) -> OrderRecord? {
        if case .order(let record)? = store[number] { return record }
        return nil
    }
}

extension [FlowOutput] {
    /// The messages of type `M` among the outputs.
    func messages<M: BusMessage>(_ type: M.Type) -> [M] { compactMap { $0.message as? M } }
    /// The outputs to `topic`.
    func to(_ topic: String) -> [FlowOutput] { filter { $0.topic == topic } }
}
