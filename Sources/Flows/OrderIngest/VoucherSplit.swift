import BusSchema

/// Splits an order-level amount (a voucher, including tax) over VAT rates in proportion to
/// each rate's share of the lines, so the ERP books each part at the rate it reduces.
public enum VoucherSplit {
    /// `amount` in parts proportional to `weights` (each rate's lines including tax), that add
    /// up to `amount` exactly: each part is rounded down, and the minor units left go one by
    /// one to the largest remainders (ties: the higher rate). Rates are in descending order;
    /// parts of zero are left out. With no weight at all, everything goes to the highest rate.
    public static func split(_ amount: Money, over weights: [Rate: Money]) -> [(rate: Rate, amount: Money)] {
        let rates = weights.keys.sorted(by: >)
        guard let highest = rates.first else { return [] }
        let total = rates.reduce(Int128(0)) { $0 + Int128(weights[$1]?.amount ?? 0) }
        guard total > 0 else { return [(highest, amount)] }
        var parts = rates.map { rate -> (rate: Rate, units: Int128, remainder: Int128) in
            let share = Int128(amount.amount) * Int128(weights[rate]?.amount ?? 0)
            return (rate, share / total, share % total)
        }
        var left = Int128(amount.amount) - parts.reduce(0) { $0 + $1.units }
        let byRemainder = parts.indices.sorted { parts[$0].remainder > parts[$1].remainder }
        for index in byRemainder where left > 0 {
            parts[index].units += 1
            left -= 1
        }
        return parts.compactMap { part in
            guard part.units != 0, let units = Int64(exactly: part.units) else { return nil }
            return (part.rate, Money(amount: units, currency: amount.currency))
        }
    }
}
