/// How an exact result is brought to fewer digits (for money: to the currency's minor unit).
public enum RoundingMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Nearest; a tie goes away from zero (2.5 → 3, -2.5 → -3). Commercial rounding.
    case halfUp = "half_up"
    /// Nearest; a tie goes to the even neighbour (2.5 → 2, 3.5 → 4). Banker's rounding.
    case halfEven = "half_even"
    /// Toward zero: extra digits are dropped (2.9 → 2, -2.9 → -2).
    case down

    /// `numerator / denominator` rounded to an integer with this mode; `denominator` must be positive.
    func divide(_ numerator: Int128, by denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        guard remainder != 0 else { return quotient }
        let away: Int128 = numerator < 0 ? -1 : 1
        let twice = remainder.magnitude * 2
        switch self {
        case .down:
            return quotient
        case .halfUp:
            return twice >= denominator.magnitude ? quotient + away : quotient
        case .halfEven:
            if twice > denominator.magnitude { return quotient + away }
            if twice < denominator.magnitude { return quotient }
            return quotient % 2 == 0 ? quotient : quotient + away
        }
    }
}
