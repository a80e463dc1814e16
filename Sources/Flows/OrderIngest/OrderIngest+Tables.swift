import BusSchema

/// A held order is judged again as soon as what it waits for is published: its customer's
/// link on `bus.customer-identity`, a SKU's entry on `shop.catalog` (see `TableWaits`). A
/// customer who signs up and orders at once is linked a moment after the order arrives; the
/// order then goes on by itself, with no re-send and no person.
extension OrderIngest {
    /// `bus.customer-identity` and `shop.catalog`.
    public var watchedTables: [String] { [Topics.customerIdentity, Topics.shopCatalog] }

    /// Judges again the partition's held orders waiting for what `record` publishes.
    public func tableChanged(_ record: FlowInput, state: inout FlowState<OrderIngestState>, tables: any TableLookup) throws -> [FlowOutput] {
        guard case .tableWaits(let waits)? = state[TableWaits.stateKey] else { return [] }
        let orders = waits.waiting(for: TableWaits.keys(setBy: record.message))
        guard !orders.isEmpty else { return [] }
        var handling = OrderHandling(flow: self, cause: record.envelope, key: nil, tables: tables, state: state)
        for number in orders { try handling.judgeAgain(number) }
        state = handling.state
        return handling.outputs.list
    }
}

extension OrderHandling {
    /// A held order judged again: on its way when nothing holds it any more, held (for the
    /// reasons left, told only if they changed) otherwise.
    mutating func judgeAgain(_ number: OrderNumber) throws {
        guard var record = record(number), record.stage == .held else { return }
        try advance(&record, number)
        save(record, number)
    }
}
