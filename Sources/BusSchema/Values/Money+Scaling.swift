extension Money {
    /// This amount × `new` ÷ `old`, half-up to the minor unit: an amount that goes with a
    /// quantity, for another quantity. Throws `.invalidValue` for a zero `old`, `.overflow`
    /// when the result does not fit.
    public func scaled(from old: Quantity, to new: Quantity) throws(SchemaError) -> Money {
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
