import BusSchema

/// The ERP's side of partial cancellations (#17): whole lines cancelled while the order is
/// not yet being prepared, or, after a first parcel, the lines never shipped. The stock they
/// held goes back; the invoices then bill what is left (see `ship`), so an order captured in
/// full is invoiced for less and payment-letterer proposes the refund of the difference.
extension ERPOrderDesk {
    /// A cancellation of some lines: honoured for whole lines not shipped, before preparation
    /// or once partly shipped; noted as refused otherwise. Lines already cancelled are a repeat.
    mutating func cancelLines(_ cancellation: ERPSalesOrderCancellation, warehouse: inout ERPWarehouse) throws -> [ERPEffect] {
        guard var order = orders[cancellation.externalReference] else { return [] }
        let lines = cancellation.lines.filter { !order.cancelledLines.contains($0.lineNumber) }
        guard !lines.isEmpty else { return [] }
        let shipped = Set(order.shipments.flatMap(\.lines).map(\.lineNumber))
        guard order.stage == .validated || order.stage == .partlyShipped, !lines.contains(where: { shipped.contains($0.lineNumber) }) else {
            order.refused.append("cancellation \(cancellation.requestID) of lines arrived while \(order.stage)")
            orders[order.number] = order
            return []
        }
        let at = try clock.adding(300, to: cancellation.requestedAt)
        let currency = order.salesOrder.currency
        var (excl, incl) = order.cancelled ?? (Money.zero(currency), Money.zero(currency))
        var effects: [ERPEffect] = []
        for line in lines {
            guard let ordered = order.salesOrder.lines.first(where: { $0.lineNumber == line.lineNumber }),
                  try units(line.quantity) == units(ordered.quantity) else {
                order.refused.append("cancellation \(cancellation.requestID) of part of line \(line.lineNumber): the demo's ERP cancels whole lines")
                continue
            }
            if let reservation = order.reservations[line.lineNumber],
               let level = try warehouse.release(ordered.sku, reservation.warehouse, reservation.units, at: at) {
                effects.append(.stock(level))
            }
            order.reservations[line.lineNumber] = nil
            order.cancelledLines.insert(line.lineNumber)
            // Taken off as payment-letterer takes it off: the line's total including tax.
            excl = try excl.adding(ordered.totalExclTax)
            incl = try incl.adding(ordered.totalInclTax ?? ordered.totalExclTax)
        }
        order.cancelled = (excl, incl)
        orders[order.number] = order
        return effects
    }
}
