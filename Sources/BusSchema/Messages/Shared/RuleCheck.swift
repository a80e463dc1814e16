/// Collects the semantic problems of one message; used by `validate()` implementations.
struct RuleCheck {
    private(set) var problems: [ValidationProblem] = []

    /// Reports `reason` at `path` unless `condition` holds.
    mutating func expect(_ condition: Bool, _ path: JSONPath, _ reason: ProblemReason) {
        if !condition { problems.append(ValidationProblem(path, reason)) }
    }

    /// Reports a currency mismatch at `<path>.currency` unless `money` is in `currency`.
    mutating func currency(_ money: Money?, _ currency: Currency, _ path: JSONPath) {
        guard let money else { return }
        expect(money.currency == currency, path.key("currency"), .currencyMismatch)
    }

    /// Reports `totals_mismatch` at `path` unless `plus` minus `minus` equals `total`.
    /// Skipped when currencies differ (reported separately as currency mismatches).
    mutating func total(_ total: Money, plus: [Money], minus: [Money] = [], _ path: JSONPath, _ rule: String) {
        guard (plus + minus).allSatisfy({ $0.currency == total.currency }) else { return }
        let sum = plus.reduce(Int128(0)) { $0 + Int128($1.amount) } - minus.reduce(Int128(0)) { $0 + Int128($1.amount) }
        expect(sum == Int128(total.amount), path, .totalsMismatch(rule: rule))
    }

    /// Reports `duplicate` at the path of each repeated value.
    mutating func unique<T: Hashable>(_ values: [T], _ path: (Int) -> JSONPath, _ what: String) {
        var seen: Set<T> = []
        for (index, value) in values.enumerated() where !seen.insert(value).inserted {
            problems.append(ValidationProblem(path(index), .duplicate(what: what)))
        }
    }

    /// Reports `duplicate` at each element after the first for which `isSet` holds.
    mutating func atMostOne(_ flags: [Bool], _ path: (Int) -> JSONPath, _ what: String) {
        for (index, _) in flags.enumerated().filter(\.element).dropFirst() {
            problems.append(ValidationProblem(path(index), .duplicate(what: what)))
        }
    }
}
