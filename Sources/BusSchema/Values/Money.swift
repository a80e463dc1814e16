/// An amount of money: integer minor units in an ISO 4217 currency.
/// On the wire: `{"amount": 1999, "currency": "EUR"}` (19.99 EUR).
///
/// Guarantees: never floating point; every arithmetic operation either gives the exact
/// result (or the result rounded with the mode you name, to the currency's minor unit) or
/// throws a `SchemaError`: `.currencyMismatch` when two currencies meet, `.overflow` when
/// the result leaves the Int64 range.
public struct Money: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The amount in minor units (cents for EUR, yen for JPY, fils for KWD).
    public let amount: Int64
    /// The currency.
    public let currency: Currency

    /// `amount` minor units of `currency`.
    public init(amount: Int64, currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(amount: 0, currency: currency) }

    /// A decimal amount in major units ("12.345" EUR) rounded to the minor unit with `mode`.
    public init(_ major: ExactDecimal, _ currency: Currency, rounding mode: RoundingMode) throws(SchemaError) {
        let minor = try major.rounded(toScale: currency.minorUnitExponent, mode)
        self.init(amount: minor.significand, currency: currency)
    }

    /// The amount in major units, exactly ("19.99").
    public var majorUnits: ExactDecimal {
        ExactDecimal(significand: amount, scale: currency.minorUnitExponent) ?? ExactDecimal(amount)
    }

    /// "19.99 EUR".
    public var description: String { "\(majorUnits) \(currency.code)" }

    /// True when below zero.
    public var isNegative: Bool { amount < 0 }

    private enum CodingKeys: String, CodingKey {
        case amount
        case currency
    }

    // MARK: Arithmetic

    private func sameCurrency(_ other: Money) throws(SchemaError) {
        guard currency == other.currency else {
            throw SchemaError(.currencyMismatch, "cannot combine amounts in \(currency.code) and \(other.currency.code)")
        }
    }

    private func make(_ wide: Int128) throws(SchemaError) -> Money {
        guard let amount = Int64(exactly: wide) else {
            throw SchemaError(.overflow, "the amount does not fit in 64-bit minor units")
        }
        return Money(amount: amount, currency: currency)
    }

    /// The sum; throws for mixed currencies or overflow.
    public func adding(_ other: Money) throws(SchemaError) -> Money {
        try sameCurrency(other)
        return try make(Int128(amount) + Int128(other.amount))
    }

    /// The difference; throws for mixed currencies or overflow.
    public func subtracting(_ other: Money) throws(SchemaError) -> Money {
        try sameCurrency(other)
        return try make(Int128(amount) - Int128(other.amount))
    }

    /// The same amount with the opposite sign; throws on overflow.
    public func negated() throws(SchemaError) -> Money { try make(-Int128(amount)) }

    /// The sum of `amounts`, all in `currency` (zero for none); throws for mixed currencies or overflow.
    public static func sum(_ amounts: some Sequence<Money>, in currency: Currency) throws(SchemaError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    /// Unit price × quantity, rounded to the minor unit with `mode` (quantity × unit price of a line).
    public func multiplied(by quantity: Quantity, rounding mode: RoundingMode) throws(SchemaError) -> Money {
        let value = quantity.value
        return try make(mode.divide(Int128(amount) * value.wide, by: ExactDecimal.powerOfTen(value.scale)))
    }

    /// This amount × rate, rounded with `mode`: the tax on a base, or a percentage discount.
    public func portion(at rate: Rate, rounding mode: RoundingMode) throws(SchemaError) -> Money {
        let percent = rate.percent
        return try make(mode.divide(Int128(amount) * percent.wide, by: 100 * ExactDecimal.powerOfTen(percent.scale)))
    }

    /// This amount × (1 + rate), rounded with `mode`: a price including tax from a price excluding it.
    public func grossed(at rate: Rate, rounding mode: RoundingMode) throws(SchemaError) -> Money {
        let percent = rate.percent
        let hundred = 100 * ExactDecimal.powerOfTen(percent.scale)
        return try make(mode.divide(Int128(amount) * (hundred + percent.wide), by: hundred))
    }

    /// This amount ÷ (1 + rate), rounded with `mode`: a price excluding tax from a price including it.
    /// Throws `.invalidValue` for a rate of -100 % or less.
    public func netted(at rate: Rate, rounding mode: RoundingMode) throws(SchemaError) -> Money {
        let percent = rate.percent
        let hundred = 100 * ExactDecimal.powerOfTen(percent.scale)
        let divisor = hundred + percent.wide
        guard divisor > 0 else { throw SchemaError(.invalidValue, "a rate must be above -100 %") }
        return try make(mode.divide(Int128(amount) * hundred, by: divisor))
    }
}
