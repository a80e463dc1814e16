import BusSchema

/// The site's side of partial cancellations (#17): a line cancelled before preparation, the
/// rest cancelled after a first parcel, and the refunds the ERP's back office makes on the
/// bus's proposal when the order is invoiced for less than was captured.
extension SiteSimulator {
    /// The customer cancels `lines` (whole lines) of the order: the site shows the order
    /// without them and refunds nothing of its own accord (the money comes back once the ERP
    /// has invoiced what it ships: payment-letterer then proposes the refund).
    func cancelLines(_ number: OrderNumber, _ lines: [OrderLineQuantity], at time: Instant) throws {
        guard var file = orders[number], !lines.isEmpty else { return }
        let request = CancellationRequest(requestID: EventID("cxl-\(number.serial)-p"), orderNumber: number, requestedAt: time,
                                          requestedBy: .customer, reason: .customerRequest, lines: lines)
        publisher.publish(request, topic: Topics.shopOrders, key: number.rawValue, source: Self.checkoutSource, time: time,
                          name: "site/cancel-lines/\(number)")
        file.current = try SiteCheckout.cancelling(Set(lines.map(\.lineNumber)), of: file.current)
        file.sent.insert("cancel")
        orders[number] = file
    }

    /// The order's last line, whole, as the customer cancels it.
    func lastLine(of number: OrderNumber) -> [OrderLineQuantity] {
        guard let line = orders[number]?.current.lines.last else { return [] }
        return [OrderLineQuantity(lineNumber: line.lineNumber, sku: line.sku, quantity: line.quantity)]
    }

    /// The lines no parcel of `update` carries: what is left to cancel after a partial shipment.
    func unshipped(_ update: TrackingUpdate) -> [OrderLineQuantity] {
        let shipped = Set(update.shipments.flatMap(\.lines).map(\.lineNumber))
        return (orders[update.orderNumber]?.current.lines ?? []).filter { !shipped.contains($0.lineNumber) }
            .map { OrderLineQuantity(lineNumber: $0.lineNumber, sku: $0.sku, quantity: $0.quantity) }
    }

    /// The payment provider refunded what the ERP's back office approved of a refund proposal.
    func refundProposed(_ order: OrderNumber, amount: Money, at time: Instant) {
        refund(order, amount: amount, at: time)
    }
}

extension SiteCheckout {
    /// `order` without the lines numbered `cancelled`, its totals computed again (shipping and
    /// vouchers as they were: a cancellation does not change them).
    static func cancelling(_ cancelled: Set<Int>, of order: SiteOrder) throws -> SiteOrder {
        var changed = order
        changed.lines.removeAll { cancelled.contains($0.lineNumber) }
        changed.totals = try totals(lines: changed.lines, shipping: order.shippingLines, vouchers: order.vouchers)
        return changed
    }

    /// `order` without its last line.
    static func cancellingLast(_ order: SiteOrder) throws -> SiteOrder {
        guard let last = order.lines.last else { return order }
        return try cancelling([last.lineNumber], of: order)
    }
}
