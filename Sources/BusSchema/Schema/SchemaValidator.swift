/// Checks a JSON value against a `SchemaNode` and reports every problem at once.
///
/// Guarantees: never traps, whatever the value; problems come in document order (declared
/// properties in schema order, then undeclared ones), each with its JSON path. Every string
/// (and every number or key in undeclared members) is screened for payment card numbers,
/// and undeclared members named like card fields are refused: both are `forbidden_content`.
public struct SchemaValidator: Sendable {
    /// When true, members the schema does not declare are reported as `unknown_field`.
    /// Readers are tolerant (false); producers' tests and examples are strict.
    public var strict: Bool

    /// Whether values are screened for card numbers; false only where the caller knows that
    /// the document cannot hold one (`CardNumberDetector.mayContainCardNumber` over its bytes).
    /// Card field names are refused either way.
    var screensCardNumbers = true

    /// A validator; tolerant of undeclared members unless `strict`.
    public init(strict: Bool = false) { self.strict = strict }

    /// A validator that skips the card number search when `screensCardNumbers` is false.
    init(strict: Bool, screensCardNumbers: Bool) {
        self.strict = strict
        self.screensCardNumbers = screensCardNumbers
    }

    /// Every problem of `value` against `node`, empty when it conforms.
    public func problems(in value: JSONValue, against node: SchemaNode) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        var trail = PathTrail()
        check(value, node, at: &trail, into: &problems)
        return problems
    }

    private func check(_ value: JSONValue, _ node: SchemaNode, at trail: inout PathTrail, into problems: inout [ValidationProblem]) {
        switch (node, value) {
        case let (.ref(definition), _):
            check(value, definition.node, at: &trail, into: &problems)
        case (.nullable, .null):
            return
        case let (.nullable(inner), _):
            check(value, inner, at: &trail, into: &problems)
        case let (.object(properties), .object(members)):
            checkObject(members, properties, at: &trail, into: &problems)
        case let (.map(keys, values, minimumCount), .object(members)):
            if members.count < minimumCount { problems.append(ValidationProblem(trail.path, .empty)) }
            for member in members {
                if let problem = screen(member.key) {
                    problems.append(ValidationProblem(trail.path.key(member.key), problem))
                } else if let reason = checkString(member.key, keys) {
                    problems.append(ValidationProblem(trail.path.key(member.key), reason))
                } else {
                    trail.enter(key: member.key)
                    check(member.value, values, at: &trail, into: &problems)
                    trail.leave()
                }
            }
        case let (.array(element, minimumCount, maximumCount), .array(elements)):
            if elements.count < minimumCount {
                problems.append(ValidationProblem(trail.path, minimumCount == 1 ? .empty : .belowMinimum(bound: "at least \(minimumCount) entries")))
            }
            if let maximumCount, elements.count > maximumCount { problems.append(ValidationProblem(trail.path, .tooMany(maximum: maximumCount))) }
            for (index, item) in elements.enumerated() {
                trail.enter(index: index)
                check(item, element, at: &trail, into: &problems)
                trail.leave()
            }
        case let (.string(rule), .string(text)):
            if let reason = rule.screensCardNumbers ? screen(text) : nil {
                problems.append(ValidationProblem(trail.path, reason))
            } else if let reason = checkString(text, rule) {
                problems.append(ValidationProblem(trail.path, reason))
            }
        case let (.integer(rule), .number(literal)):
            if let reason = checkInteger(literal, rule) { problems.append(ValidationProblem(trail.path, reason)) }
        case (.boolean, .bool):
            return
        case let (.decimal(rule), .string(text)):
            if let reason = screen(text) ?? checkDecimal(text, rule) { problems.append(ValidationProblem(trail.path, reason)) }
        case let (.money(sign), .object(members)):
            checkMoney(members, sign, at: &trail, into: &problems)
        case let (.instant, .string(text)):
            if let reason = screen(text) {
                problems.append(ValidationProblem(trail.path, reason))
            } else if Instant(text) == nil {
                problems.append(ValidationProblem(trail.path, .invalidFormat(expected: "an RFC 3339 UTC instant such as 2024-05-03T10:15:30Z")))
            }
        case let (.date, .string(text)):
            if let reason = screen(text) {
                problems.append(ValidationProblem(trail.path, reason))
            } else if LocalDate(text) == nil {
                problems.append(ValidationProblem(trail.path, .invalidFormat(expected: "an ISO 8601 date such as 2024-05-03")))
            }
        default:
            problems.append(ValidationProblem(trail.path, .wrongType(expected: node.expectedTypeName, found: value.typeName)))
            screenUndeclared(value, at: &trail, into: &problems)
        }
    }

    private func checkObject(_ members: [JSONMember], _ properties: [Property], at trail: inout PathTrail, into problems: inout [ValidationProblem]) {
        for property in properties {
            if let member = members.first(where: { $0.key == property.name }) {
                trail.enter(key: property.name)
                check(member.value, property.node, at: &trail, into: &problems)
                trail.leave()
            } else if property.isRequired {
                problems.append(ValidationProblem(trail.path.key(property.name), .missing))
            }
        }
        // A linear scan: objects have a handful of properties, and a set per object cost more.
        for member in members where !properties.contains(where: { $0.name == member.key }) {
            checkUndeclared(member, at: &trail, into: &problems)
        }
    }

    private func checkUndeclared(_ member: JSONMember, at trail: inout PathTrail, into problems: inout [ValidationProblem]) {
        if CardNumberDetector.isCardFieldName(member.key) {
            problems.append(ValidationProblem(trail.path.key(member.key), .forbiddenContent(what: "card data fields are not allowed on the bus")))
        } else if let reason = screen(member.key) {
            problems.append(ValidationProblem(trail.path.key(member.key), reason))
        } else {
            let before = problems.count
            trail.enter(key: member.key)
            screenUndeclared(member.value, at: &trail, into: &problems)
            trail.leave()
            if strict, problems.count == before { problems.append(ValidationProblem(trail.path.key(member.key), .unknownField)) }
        }
    }

    /// Screens a value the schema does not describe: every string, number and key inside it.
    private func screenUndeclared(_ value: JSONValue, at trail: inout PathTrail, into problems: inout [ValidationProblem]) {
        switch value {
        case .null, .bool: return
        case let .number(literal), let .string(literal):
            if let reason = screen(literal) { problems.append(ValidationProblem(trail.path, reason)) }
        case let .array(elements):
            for (index, element) in elements.enumerated() {
                trail.enter(index: index)
                screenUndeclared(element, at: &trail, into: &problems)
                trail.leave()
            }
        case let .object(members):
            for member in members { checkUndeclared(member, at: &trail, into: &problems) }
        }
    }

    private func screen(_ text: String) -> ProblemReason? {
        guard screensCardNumbers else { return nil }
        return CardNumberDetector.containsCardNumber(text) ? .forbiddenContent(what: "looks like a payment card number") : nil
    }

    private func checkString(_ text: String, _ rule: StringRule) -> ProblemReason? {
        let length = text.unicodeScalars.count
        if length == 0, rule.minimumLength > 0 { return .empty }
        if length < rule.minimumLength { return .belowMinimum(bound: "at least \(rule.minimumLength) characters") }
        if let maximum = rule.maximumLength, length > maximum { return .tooLong(maximum: maximum) }
        if let allowed = rule.allowed, !allowed.contains(text) { return .notAllowed(allowed: allowed) }
        if let format = rule.format, !format.accepts(text) {
            return format == .currencyCode ? .unknownCurrency : .invalidFormat(expected: format.expected)
        }
        if let pattern = rule.pattern, !PatternMatcher.matches(text, pattern: pattern) {
            return .invalidFormat(expected: rule.patternName ?? "text matching \(pattern)")
        }
        return nil
    }

    private func checkInteger(_ literal: String, _ rule: IntegerRule) -> ProblemReason? {
        // Over the UTF-8 bytes: `String.contains(String)` is Foundation's, through NSString.
        let isIntegerLiteral = !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        guard isIntegerLiteral else { return .wrongType(expected: "integer", found: "number with a fraction or exponent") }
        guard let value = Int64(literal) else {
            return literal.hasPrefix("-") ? .belowMinimum(bound: "at least \(Int64.min)") : .aboveMaximum(bound: "at most \(Int64.max)")
        }
        if let minimum = rule.minimum, value < minimum { return .belowMinimum(bound: "at least \(minimum)") }
        if let maximum = rule.maximum, value > maximum { return .aboveMaximum(bound: "at most \(maximum)") }
        return nil
    }

    private func checkDecimal(_ text: String, _ rule: DecimalRule) -> ProblemReason? {
        guard let value = ExactDecimal(text) else { return .notADecimal }
        if value.scale > rule.maximumScale { return .tooPrecise(maximumScale: rule.maximumScale) }
        if let minimum = rule.minimum {
            if value.isNegative, !minimum.isNegative { return .negativeAmount }
            if value < minimum || (rule.minimumIsExclusive && value == minimum) {
                return .belowMinimum(bound: rule.minimumIsExclusive ? "greater than \(minimum)" : "at least \(minimum)")
            }
        }
        if let maximum = rule.maximum, value > maximum { return .aboveMaximum(bound: "at most \(maximum)") }
        return nil
    }

    private func checkMoney(_ members: [JSONMember], _ sign: MoneySign, at trail: inout PathTrail, into problems: inout [ValidationProblem]) {
        let amountRule: IntegerRule = switch sign {
        case .any: IntegerRule()
        case .nonNegative, .positive: IntegerRule(minimum: sign == .positive ? 1 : 0)
        }
        if let amount = members.first(where: { $0.key == "amount" })?.value {
            if case let .number(literal) = amount {
                var reason = checkInteger(literal, amountRule)
                if case .belowMinimum = reason, literal.hasPrefix("-") { reason = .negativeAmount }
                if case .belowMinimum = reason, sign == .positive { reason = .belowMinimum(bound: "greater than 0") }
                if let reason { problems.append(ValidationProblem(trail.path.key("amount"), reason)) }
            } else {
                problems.append(ValidationProblem(trail.path.key("amount"), .wrongType(expected: "integer (minor units)", found: amount.typeName)))
            }
        } else {
            problems.append(ValidationProblem(trail.path.key("amount"), .missing))
        }
        if let currency = members.first(where: { $0.key == "currency" })?.value {
            trail.enter(key: "currency")
            check(currency, .ref(.currencyCode), at: &trail, into: &problems)
            trail.leave()
        } else {
            problems.append(ValidationProblem(trail.path.key("currency"), .missing))
        }
        for member in members where member.key != "amount" && member.key != "currency" {
            checkUndeclared(member, at: &trail, into: &problems)
        }
    }
}
