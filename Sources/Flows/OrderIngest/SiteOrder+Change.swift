import BusSchema

extension SiteOrder {
    /// This order with `change` taken in: the new delivery address and relay point when given,
    /// line quantities and unit prices changed (a line at 0 is removed), the added lines after
    /// the others, and the site's new totals and payments when given.
    ///
    /// A changed line keeps its unit prices unless the change gives new ones; its discounts
    /// scale with the quantity (half-up to the minor unit) and its totals are recomputed from
    /// them. Line numbers the order does not have are left out (the flow refuses such changes
    /// before taking them in).
    public func applying(_ change: OrderChange) throws(SchemaError) -> SiteOrder {
        var order = self
        if let address = change.deliveryAddress { order.deliveryAddress = address }
        if let relayPoint = change.relayPointID { order.relayPointID = relayPoint }
        for lineChange in change.lineChanges {
            guard let index = order.lines.firstIndex(where: { $0.lineNumber == lineChange.lineNumber }) else { continue }
            if lineChange.quantity.value.isZero {
                order.lines.remove(at: index)
            } else {
                order.lines[index] = try order.lines[index].with(quantity: lineChange.quantity, repricedAt: lineChange.unitPriceInclTax,
                                                                 exclTax: lineChange.unitPriceExclTax)
            }
        }
        order.lines += change.addedLines ?? []
        if let payments = change.payments { order.payments = payments }
        if let totals = change.totals {
            order.totals = totals
        } else if !change.lineChanges.isEmpty {
            // The site's tax per rate described the lines before the change: without new
            // totals, the ERP's tax is derived from the changed amounts instead.
            order.totals.taxes = nil
        }
        return order
    }

    /// What the customer owes for the order as its lines, shipping and vouchers stand: the
    /// site's total, also after a change whose totals the site did not restate (a partial
    /// cancellation's remainder).
    public func amountDue() throws(SchemaError) -> Money {
        try Money.sum(lines.map(\.totalInclTax) + shippingLines.map(\.amountInclTax), in: currency)
            .subtracting(Money.sum(vouchers.map(\.amountInclTax), in: currency))
    }
}

extension SiteOrderLine {
    /// This line for another quantity, and at new unit prices when given (excluding tax: the
    /// site's, else the price including tax netted at the line's rate, half-up): discounts in
    /// proportion to the quantity, totals recomputed.
    func with(quantity newQuantity: Quantity, repricedAt inclTax: Money? = nil, exclTax: Money? = nil) throws(SchemaError) -> SiteOrderLine {
        var line = self
        if let inclTax {
            line.unitPriceInclTax = inclTax
            if let exclTax {
                line.unitPriceExclTax = exclTax
            } else {
                line.unitPriceExclTax = try inclTax.netted(at: vatRate, rounding: .halfUp)
            }
        }
        line.discounts = try discounts.map { discount throws(SchemaError) in
            var scaled = discount
            scaled.amountInclTax = try discount.amountInclTax.scaled(from: quantity, to: newQuantity)
            return scaled
        }
        line.quantity = newQuantity
        let discounted = try line.unitPriceInclTax.multiplied(by: newQuantity, rounding: .halfUp)
            .subtracting(Money.sum(line.discounts.map(\.amountInclTax), in: unitPriceInclTax.currency))
        line.totalInclTax = discounted
        line.totalExclTax = try discounted.netted(at: vatRate, rounding: .halfUp)
        return line
    }
}
