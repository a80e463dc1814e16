import BusSchema

extension SiteOrder {
    /// This order with `change` taken in: the new delivery address and relay point when given,
    /// line quantities changed (a line at 0 is removed) and the site's new totals.
    ///
    /// A changed line keeps its unit prices; its discounts scale with the quantity (half-up to
    /// the minor unit) and its totals are recomputed from them. Line numbers the order does not
    /// have are left out (the flow refuses such changes before taking them in).
    public func applying(_ change: OrderChange) throws(SchemaError) -> SiteOrder {
        var order = self
        if let address = change.deliveryAddress { order.deliveryAddress = address }
        if let relayPoint = change.relayPointID { order.relayPointID = relayPoint }
        for lineChange in change.lineChanges {
            guard let index = order.lines.firstIndex(where: { $0.lineNumber == lineChange.lineNumber }) else { continue }
            if lineChange.quantity.value.isZero {
                order.lines.remove(at: index)
            } else {
                order.lines[index] = try order.lines[index].with(quantity: lineChange.quantity)
            }
        }
        if let totals = change.totals {
            order.totals = totals
        } else if !change.lineChanges.isEmpty {
            // The site's tax per rate described the lines before the change: without new
            // totals, the ERP's tax is derived from the changed amounts instead.
            order.totals.taxes = nil
        }
        return order
    }
}

extension SiteOrderLine {
    /// This line for another quantity: discounts in proportion, totals recomputed.
    func with(quantity newQuantity: Quantity) throws(SchemaError) -> SiteOrderLine {
        var line = self
        line.discounts = try discounts.map { discount throws(SchemaError) in
            var scaled = discount
            scaled.amountInclTax = try discount.amountInclTax.scaled(from: quantity, to: newQuantity)
            return scaled
        }
        line.quantity = newQuantity
        let discounted = try unitPriceInclTax.multiplied(by: newQuantity, rounding: .halfUp)
            .subtracting(Money.sum(line.discounts.map(\.amountInclTax), in: unitPriceInclTax.currency))
        line.totalInclTax = discounted
        line.totalExclTax = try discounted.netted(at: vatRate, rounding: .halfUp)
        return line
    }
}

extension Money {
    /// This amount × `new` ÷ `old`, half-up to the minor unit: an amount that goes with a
    /// quantity, for another quantity. Throws `.invalidValue` for a zero `old`, `.overflow`
    /// when the result does not fit.
    func scaled(from old: Quantity, to new: Quantity) throws(SchemaError) -> Money {
        // amount × (n / 10^ns) / (o / 10^os) = amount × n × 10^os / (o × 10^ns)
        var numerator = Int128(amount) * Int128(new.value.significand)
        var denominator = Int128(old.value.significand)
        guard denominator != 0 else { throw SchemaError(.invalidValue, "cannot scale an amount from a zero quantity") }
        for _ in 0..<old.value.scale { numerator *= 10 }
        for _ in 0..<new.value.scale { denominator *= 10 }
        if denominator < 0 { numerator = -numerator; denominator = -denominator }
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder.magnitude * 2 >= denominator.magnitude { quotient += numerator < 0 ? -1 : 1 }
        guard let result = Int64(exactly: quotient) else { throw SchemaError(.overflow, "the amount does not fit in 64-bit minor units") }
        return Money(amount: result, currency: currency)
    }
}
