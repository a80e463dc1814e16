/// Constraints on a string value.
public struct StringRule: Sendable, Equatable {
    /// The fewest characters (Unicode scalars) accepted; 1 by default: empty strings are refused.
    public var minimumLength: Int
    /// The most characters accepted, if limited.
    public var maximumLength: Int?
    /// A regular expression (ECMA-262 subset: classes, anchors, counted repetition) the whole text must match.
    public var pattern: String?
    /// How a person names the pattern's form in a problem ("a SKU").
    public var patternName: String?
    /// The only values accepted, if the list is closed.
    public var allowed: [String]?
    /// A checked format beyond a pattern (country, currency, language, GTIN).
    public var format: StringFormat?
    /// Whether the text is screened for payment card numbers. Off only where the schema knows
    /// the field's meaning and long digit runs are its normal content, not a typed card: GTINs
    /// (their own check digit), E.164 phone numbers, carrier tracking numbers, order numbers
    /// (marketplace ids). Free text and every other field are screened.
    public var screensCardNumbers: Bool

    /// A rule; every constraint is optional.
    public init(
        minimumLength: Int = 1, maximumLength: Int? = nil, pattern: String? = nil, patternName: String? = nil,
        allowed: [String]? = nil, format: StringFormat? = nil, screensCardNumbers: Bool = true
    ) {
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
        self.pattern = pattern
        self.patternName = patternName
        self.allowed = allowed
        self.format = format
        self.screensCardNumbers = screensCardNumbers
    }
}

/// String formats checked by code rather than by a pattern alone.
public enum StringFormat: String, Sendable, Equatable {
    /// An assigned ISO 3166-1 alpha-2 code.
    case countryCode = "country-code"
    /// An ISO 4217 currency code.
    case currencyCode = "currency-code"
    /// An ISO 639-1 language, optionally with a region ("fr-BE").
    case languageCode = "language-code"
    /// A GTIN-8, -12, -13 or -14 with a valid check digit.
    case gtin

    /// How a person names the form.
    var expected: String {
        switch self {
        case .countryCode: "an ISO 3166-1 alpha-2 country code such as FR"
        case .currencyCode: "an ISO 4217 currency code such as EUR"
        case .languageCode: "a language tag such as fr or fr-BE"
        case .gtin: "a GTIN of 8, 12, 13 or 14 digits with a valid check digit"
        }
    }

    /// Whether `text` has the format.
    func accepts(_ text: String) -> Bool {
        switch self {
        case .countryCode: CountryCode(text) != nil
        case .currencyCode: Currency(code: text) != nil
        case .languageCode: LanguageCode(text) != nil
        case .gtin: Self.isGTIN(text)
        }
    }

    static func isGTIN(_ text: String) -> Bool {
        let digits = text.utf8.map { Int($0) - Int(UInt8(ascii: "0")) }
        guard [8, 12, 13, 14].contains(digits.count), digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        let body = digits.dropLast().reversed()
        let sum = body.enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10 == digits.last
    }
}

/// Constraints on an integer.
public struct IntegerRule: Sendable, Equatable {
    /// The smallest value accepted, if bounded.
    public var minimum: Int64?
    /// The largest value accepted, if bounded.
    public var maximum: Int64?

    /// A rule; both bounds inclusive.
    public init(minimum: Int64? = nil, maximum: Int64? = nil) {
        self.minimum = minimum
        self.maximum = maximum
    }
}

/// Constraints on a decimal string.
public struct DecimalRule: Sendable, Equatable {
    /// The lower bound, if any.
    public var minimum: ExactDecimal?
    /// Whether the lower bound itself is refused (quantity "greater than 0").
    public var minimumIsExclusive: Bool
    /// The upper bound (inclusive), if any.
    public var maximum: ExactDecimal?
    /// The most digits accepted after the point.
    public var maximumScale: Int

    /// A rule.
    public init(minimum: ExactDecimal? = nil, minimumIsExclusive: Bool = false, maximum: ExactDecimal? = nil, maximumScale: Int = 6) {
        self.minimum = minimum
        self.minimumIsExclusive = minimumIsExclusive
        self.maximum = maximum
        self.maximumScale = maximumScale
    }
}

/// Which signs a money amount may have.
public enum MoneySign: String, Sendable, Equatable {
    /// Any amount, negative included (an adjustment, a remainder).
    case any
    /// Zero or more (a price, a total).
    case nonNegative = "non_negative"
    /// More than zero (a payment).
    case positive
}
