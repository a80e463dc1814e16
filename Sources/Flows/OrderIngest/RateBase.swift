import BusSchema

/// What a site charged at one VAT rate, split into base and tax the way an accountant does:
/// the amount including tax is the master (it is what the customer paid), the base is derived
/// from it once for the whole rate, and the tax is the rest.
///
/// Guarantees: `exclTax + tax == inclTax` exactly. Without the site's own tax figure, the base
/// is chosen so that an ERP recomputing the tax as base × rate (half-up) finds `tax` exactly,
/// whenever such a base exists; when none does (base + base × rate skips the amount, a one-cent
/// jump), `rounding` is one minor unit. With the site's figure, `tax` is that figure and
/// `rounding` is whatever the ERP's recomputation misses of it.
public struct RateBase: Sendable, Equatable {
    /// The VAT rate.
    public var rate: Rate
    /// Everything charged at the rate, including tax: lines + charges − discounts.
    public var inclTax: Money
    /// The base excluding tax.
    public var exclTax: Money
    /// The tax charged: inclTax − exclTax.
    public var tax: Money
    /// The tax an ERP computes from the base: exclTax × rate, half-up.
    public var computedTax: Money

    /// tax − computedTax: the cents a recomputing ERP misses (the rounding line's share).
    public var rounding: Money { Money(amount: tax.amount - computedTax.amount, currency: tax.currency) }

    /// The split of `inclTax` at `rate`; `siteTax`, when the site gave the tax at this rate, is kept.
    public static func of(_ inclTax: Money, at rate: Rate, siteTax: Money? = nil) throws(SchemaError) -> RateBase {
        if let siteTax {
            let base = try inclTax.subtracting(siteTax)
            return RateBase(rate: rate, inclTax: inclTax, exclTax: base, tax: siteTax, computedTax: try base.portion(at: rate, rounding: .halfUp))
        }
        // B0 = G ÷ (1 + r) half-up gives B0 + B0 × r within one minor unit of G (for rates
        // below 100 %); one of its neighbours may hit G exactly.
        let nearest = try inclTax.netted(at: rate, rounding: .halfUp)
        let first = try split(inclTax, at: rate, base: nearest)
        if first.rounding.amount == 0 { return first }
        for step: Int64 in [-1, 1] {
            let other = try split(inclTax, at: rate, base: Money(amount: nearest.amount + step, currency: inclTax.currency))
            if other.rounding.amount == 0 { return other }
        }
        return first
    }

    private static func split(_ inclTax: Money, at rate: Rate, base: Money) throws(SchemaError) -> RateBase {
        RateBase(rate: rate, inclTax: inclTax, exclTax: base, tax: try inclTax.subtracting(base), computedTax: try base.portion(at: rate, rounding: .halfUp))
    }
}
