import BusSchema

/// How the ERP books amounts: excluding tax, with the tax computed per VAT rate on the
/// rate's base (half-up). Used to check every sales order the bus sends and to invoice.
enum ERPBooks {
    /// Bases excluding tax per rate of a sales order: lines + charges − discounts.
    static func bases(of order: ERPSalesOrder) throws -> [Rate: Money] {
        var bases: [Rate: Money] = [:]
        let zero = Money.zero(order.currency)
        for line in order.lines { bases[line.vatRate] = try (bases[line.vatRate] ?? zero).adding(line.totalExclTax) }
        for charge in order.charges { bases[charge.vatRate] = try (bases[charge.vatRate] ?? zero).adding(charge.amountExclTax) }
        for discount in order.discounts { bases[discount.vatRate] = try (bases[discount.vatRate] ?? zero).subtracting(discount.amountExclTax) }
        return bases
    }

    /// Excluding tax and tax of `bases`.
    static func totals(_ bases: [Rate: Money], currency: Currency) throws -> (exclTax: Money, tax: Money) {
        var excl = Money.zero(currency), tax = Money.zero(currency)
        for (rate, base) in bases {
            excl = try excl.adding(base)
            tax = try tax.adding(base.portion(at: rate, rounding: .halfUp))
        }
        return (excl, tax)
    }

    /// What is wrong with a sales order in the ERP's books, or nil: its totals must be what
    /// the ERP computes from its lines, plus the rounding line.
    static func problem(with order: ERPSalesOrder) throws -> String? {
        let (excl, tax) = try totals(bases(of: order), currency: order.currency)
        let booked = try excl.adding(tax).adding(order.roundingLine?.amount ?? .zero(order.currency))
        if excl != order.totals.totalExclTax { return "total excluding tax \(order.totals.totalExclTax), the ERP computes \(excl)" }
        if tax != order.totals.totalTax { return "tax \(order.totals.totalTax), the ERP computes \(tax)" }
        if booked != order.totals.totalInclTax { return "total \(order.totals.totalInclTax), the ERP books \(booked)" }
        // An ERP that imports the tax per rate instead books the same total.
        if let taxLines = order.taxLines {
            let bases = try bases(of: order)
            for line in taxLines where bases[line.vatRate] != line.baseExclTax {
                return "tax line at \(line.vatRate) %: base \(line.baseExclTax), the lines give \(bases[line.vatRate] ?? .zero(order.currency))"
            }
            let imported = try excl.adding(Money.sum(taxLines.map(\.tax), in: order.currency))
            if imported != order.totals.totalInclTax { return "total \(order.totals.totalInclTax), the tax lines give \(imported)" }
        }
        return nil
    }

    /// Excluding tax and tax of some lines of `order` (`units` of each line number).
    static func amounts(of units: [Int: Int], in order: ERPSalesOrder) throws -> (exclTax: Money, tax: Money) {
        var bases: [Rate: Money] = [:]
        for line in order.lines {
            guard let count = units[line.lineNumber], count > 0, let ordered = Int(line.quantity.description), ordered > 0 else { continue }
            // The line's net amount in proportion to the units, half-up.
            let share = (line.totalExclTax.amount * Int64(count) * 2 + Int64(ordered)) / (Int64(ordered) * 2)
            bases[line.vatRate] = try (bases[line.vatRate] ?? .zero(order.currency)).adding(Money(amount: share, currency: order.currency))
        }
        return try totals(bases, currency: order.currency)
    }
}
