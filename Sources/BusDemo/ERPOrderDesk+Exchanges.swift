import BusSchema

/// A return asking for an exchange (#17), as the ERP takes it: the returned goods back on the
/// shelf, the articles taken instead shipped at no charge, nothing credited, and the return
/// accepted in the order's next status (its `returns`), which status-notifier shows the site.
extension ERPOrderDesk {
    /// Takes in `request`, whose every returned unit is exchanged, for `taken` (already marked
    /// as having it): the effects to publish.
    mutating func receiveExchange(_ request: ERPReturnRequest, _ taken: ERPOrder, warehouse: inout ERPWarehouse, at: Instant) throws -> [ERPEffect] {
        var order = taken
        var effects: [ERPEffect] = []
        for line in request.lines {
            guard let reservation = order.reservations[line.lineNumber] else { continue }
            if let level = try warehouse.restock(line.sku, reservation.warehouse, try units(line.quantity), at: at) { effects.append(.stock(level)) }
        }
        for exchange in request.exchange ?? [] {
            let count = try units(exchange.quantity)
            guard let (house, reserved) = try warehouse.reserve(exchange.sku, count, at: at) else {
                order.refused.append("no stock for the exchange of return \(request.returnNumber)")
                continue
            }
            effects.append(.stock(reserved))
            if let level = try warehouse.ship(exchange.sku, house, count, at: at) { effects.append(.stock(level)) }
        }
        let stage = order.stage
        var accepted = status(&order, stage, at: at)
        accepted.returns = [ReturnProgress(returnNumber: request.returnNumber, status: .accepted, updatedAt: at)]
        effects.append(.status(accepted))
        orders[order.number] = order
        return effects
    }
}
