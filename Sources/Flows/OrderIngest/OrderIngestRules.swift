import BusSchema

/// order-ingest's rules, read from the worker's JSON rules file (`BUS_CONFIG`).
///
/// Every field has a default (see `defaults`), so a file lists only what it changes; in
/// `import_when`, only the methods it names. A field given with a wrong type or `null`, an
/// unknown payment method or a release time that is not "HH:MM" makes the file invalid.
public struct OrderIngestRules: Sendable, Equatable, Decodable {
    /// How orders that may go to the ERP are released.
    public enum ReleaseMode: String, Sendable, Equatable, Decodable {
        /// As soon as they may go.
        case realTime = "real_time"
        /// At the configured times of day (UTC) and every configured interval.
        case batched
    }

    /// The ERP account that buys for guest checkouts.
    public var guestAccount: ERPAccountCode
    /// The largest difference, in major units of the order's currency, that a rounding line absorbs.
    public var roundingTolerance: ExactDecimal
    /// Per payment method, when its orders may go to the ERP.
    public var importWhen: [PaymentMethod: PaymentImportRule]
    /// Real time or batched.
    public var releaseMode: ReleaseMode
    /// Batched: the times of day, "HH:MM" in UTC, at which waiting orders are released.
    public var releaseTimes: [String]
    /// Batched: also release every this many minutes from midnight UTC (0: not).
    public var releaseEveryMinutes: Int
    /// Whether each line's unit price must be one the catalogue publishes for its SKU.
    public var checkCatalogPrices: Bool
    /// Countries whose addresses have no postal code (ISO 3166 alpha-2).
    public var countriesWithoutPostalCode: [CountryCode]
    /// The ERP charge code of shipping lines.
    public var shippingChargeCode: Code
    /// The shipping method of an order with no shipping line (free shipping).
    public var defaultShippingMethod: Code
    /// The ERP payment terms of orders paid on the site.
    public var paymentTerms: Code
    /// How long an order is kept once delivered, cancelled, fully returned or refused (and a
    /// payment whose order never came), after its last event (`retention_days`, 0: for ever).
    public var retention = Retention(days: 90)
    /// Days taken off the retention (at most half of it) before a placement of an unknown
    /// order is judged late: one placed longer ago than retention − margin may be a forgotten
    /// order sent again, and
    /// is an exception (`forgotten_order`) rather than a new ERP order.
    public var forgottenMarginDays = Retention.defaultMarginDays

    /// The documented defaults.
    public static let defaults = OrderIngestRules(
        guestAccount: "WEB-GUEST",
        roundingTolerance: ExactDecimal(significand: 5, scale: 2) ?? ExactDecimal(0),
        importWhen: [.card: .whenAuthorised, .paypal: .whenAuthorised, .bankTransfer: .whenPaid,
                     .voucher: .always, .giftCard: .always, .creditNote: .always],
        releaseMode: .realTime, releaseTimes: [], releaseEveryMinutes: 0,
        checkCatalogPrices: true,
        countriesWithoutPostalCode: ["AE", "AG", "AO", "BS", "BZ", "HK", "QA"].compactMap(CountryCode.init),
        shippingChargeCode: "SHIPPING", defaultShippingMethod: "standard", paymentTerms: "PREPAID")

    /// Rules with every field given.
    public init(
        guestAccount: ERPAccountCode, roundingTolerance: ExactDecimal, importWhen: [PaymentMethod: PaymentImportRule],
        releaseMode: ReleaseMode, releaseTimes: [String], releaseEveryMinutes: Int, checkCatalogPrices: Bool,
        countriesWithoutPostalCode: [CountryCode], shippingChargeCode: Code, defaultShippingMethod: Code, paymentTerms: Code
    ) {
        self.guestAccount = guestAccount
        self.roundingTolerance = roundingTolerance
        self.importWhen = importWhen
        self.releaseMode = releaseMode
        self.releaseTimes = releaseTimes
        self.releaseEveryMinutes = releaseEveryMinutes
        self.checkCatalogPrices = checkCatalogPrices
        self.countriesWithoutPostalCode = countriesWithoutPostalCode
        self.shippingChargeCode = shippingChargeCode
        self.defaultShippingMethod = defaultShippingMethod
        self.paymentTerms = paymentTerms
    }

    private enum CodingKeys: String, CodingKey {
        case guestAccount = "guest_account"
        case roundingTolerance = "rounding_tolerance"
        case importWhen = "import_when"
        case releaseMode = "release_mode"
        case releaseTimes = "release_times"
        case releaseEveryMinutes = "release_every_minutes"
        case checkCatalogPrices = "check_catalog_prices"
        case countriesWithoutPostalCode = "countries_without_postal_code"
        case shippingChargeCode = "shipping_charge_code"
        case defaultShippingMethod = "default_shipping_method"
        case paymentTerms = "payment_terms"
        case retention = "retention_days"
        case forgottenMarginDays = "forgotten_margin_days"
    }

    /// Reads a rules file, taking the default for each absent field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.defaults
        guestAccount = try container.decode(ERPAccountCode.self, forKey: .guestAccount, default: defaults.guestAccount)
        roundingTolerance = try container.decode(ExactDecimal.self, forKey: .roundingTolerance, default: defaults.roundingTolerance)
        if roundingTolerance.isNegative {
            throw DecodingError.dataCorruptedError(forKey: .roundingTolerance, in: container, debugDescription: "must not be negative")
        }
        // Keyed by method name: a dictionary with enum keys would otherwise be read as a list.
        var importWhen = defaults.importWhen
        for (name, rule) in try container.decode([String: PaymentImportRule].self, forKey: .importWhen, default: [:]) {
            guard let method = PaymentMethod(rawValue: name) else {
                throw DecodingError.dataCorruptedError(forKey: .importWhen, in: container, debugDescription: "unknown payment method \(name)")
            }
            importWhen[method] = rule
        }
        self.importWhen = importWhen
        releaseMode = try container.decode(ReleaseMode.self, forKey: .releaseMode, default: defaults.releaseMode)
        releaseTimes = try container.decode([String].self, forKey: .releaseTimes, default: defaults.releaseTimes)
        if releaseTimes.contains(where: { ReleaseSchedule.minuteOfDay($0) == nil }) {
            throw DecodingError.dataCorruptedError(forKey: .releaseTimes, in: container, debugDescription: "each time must be \"HH:MM\" (UTC)")
        }
        releaseEveryMinutes = try container.decode(Int.self, forKey: .releaseEveryMinutes, default: defaults.releaseEveryMinutes)
        if !(0...1440).contains(releaseEveryMinutes) {
            throw DecodingError.dataCorruptedError(forKey: .releaseEveryMinutes, in: container, debugDescription: "must be between 0 and 1440")
        }
        if releaseMode == .batched, releaseTimes.isEmpty, releaseEveryMinutes == 0 {
            throw DecodingError.dataCorruptedError(forKey: .releaseMode, in: container,
                                                   debugDescription: "batched release needs release_times or release_every_minutes")
        }
        checkCatalogPrices = try container.decode(Bool.self, forKey: .checkCatalogPrices, default: defaults.checkCatalogPrices)
        countriesWithoutPostalCode = try container.decode([CountryCode].self, forKey: .countriesWithoutPostalCode, default: defaults.countriesWithoutPostalCode)
        shippingChargeCode = try container.decode(Code.self, forKey: .shippingChargeCode, default: defaults.shippingChargeCode)
        defaultShippingMethod = try container.decode(Code.self, forKey: .defaultShippingMethod, default: defaults.defaultShippingMethod)
        paymentTerms = try container.decode(Code.self, forKey: .paymentTerms, default: defaults.paymentTerms)
        retention = try container.decode(Retention.self, forKey: .retention, default: defaults.retention)
        forgottenMarginDays = try container.decode(Int.self, forKey: .forgottenMarginDays, default: defaults.forgottenMarginDays)
        if !(0...365).contains(forgottenMarginDays) {
            throw DecodingError.dataCorruptedError(forKey: .forgottenMarginDays, in: container, debugDescription: "must be between 0 and 365")
        }
    }

    /// When orders may go: the release schedule, or nil in real time.
    public var schedule: ReleaseSchedule? {
        releaseMode == .batched ? ReleaseSchedule(times: releaseTimes, everyMinutes: releaseEveryMinutes) : nil
    }

    /// The largest difference a rounding line absorbs, in minor units of `currency`
    /// (rounded down: a tolerance never grows by rounding).
    public func tolerance(in currency: Currency) throws(SchemaError) -> Money {
        try Money(roundingTolerance, currency, rounding: .down)
    }
}
