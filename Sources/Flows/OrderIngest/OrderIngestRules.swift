import BusSchema
import Foundation

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
        /// At the configured times of day (the merchant's local time, `time_zone`) and every configured interval.
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
    /// Batched: the times of day, "HH:MM" in the merchant's local time, at which waiting orders are released.
    public var releaseTimes: [String]
    /// Batched: also release every this many minutes from local midnight (0: not).
    public var releaseEveryMinutes: Int
    /// Whether each line's unit price must be one the catalogue publishes for its SKU, to this customer.
    public var checkCatalogPrices: Bool
    /// Price lists whose rows any customer may buy at (B2C quantity prices, promotions).
    public var publicPriceLists: [PriceListCode]
    /// The merchant's time zone (IANA name): price validity dates and release times are its local dates and times.
    public var timeZone: String
    /// How shipping is taxed on a cart of several VAT rates.
    public var shippingVAT: ShippingVAT
    /// SKU prefixes of gift card articles, which are not taxed at sale.
    public var giftCardSKUPrefixes: [String]
    /// Countries whose addresses have no postal code (ISO 3166 alpha-2).
    public var countriesWithoutPostalCode: [CountryCode]
    /// The ERP charge code of shipping lines.
    public var shippingChargeCode: Code
    /// The shipping method of an order with no shipping line (free shipping).
    public var defaultShippingMethod: Code
    /// The ERP payment terms of orders paid on the site; an account whose terms are others orders on account.
    public var paymentTerms: Code
    /// The payment methods an account on account pays on its invoice: no capture is awaited
    /// for them, and their amount counts against its credit limit (`on_account_methods`).
    public var onAccountMethods: [PaymentMethod] = [.bankTransfer]
    /// How long an order is kept once delivered, cancelled, fully returned or refused (and a
    /// payment whose order never came), after its last event (`retention_days`, 0: for ever).
    public var retention = Retention(days: 90)
    /// Days taken off the retention (at most half of it) before a placement of an unknown
    /// order is judged late: one placed longer ago than retention − margin may be a forgotten
    /// order sent again, and
    /// is an exception (`forgotten_order`) rather than a new ERP order.
    public var forgottenMarginDays = Retention.defaultMarginDays
    /// Days an order waits for its payment before it is cancelled and the site told
    /// (`days_before_cancel`, as connector-ecommerce's; 0: it waits for ever).
    public var daysBeforeCancel = 14
    /// How long a price query waits for the ERP before the bus answers from the catalogue,
    /// marked indicative (`price_query_erp_wait_ms`; never past the query's deadline).
    public var priceQueryERPWaitMs = 800
    /// How long an ERP price is served again without the ERP, per (account, SKU, quantity
    /// break) (`price_cache_seconds`, 0: no cache).
    public var priceCacheSeconds = 300

    /// The documented defaults.
    public static let defaults = OrderIngestRules(
        guestAccount: "WEB-GUEST",
        roundingTolerance: ExactDecimal(significand: 5, scale: 2) ?? ExactDecimal(0),
        importWhen: [.card: .whenAuthorised, .paypal: .whenAuthorised, .bankTransfer: .whenPaid,
                     .voucher: .always, .giftCard: .always, .creditNote: .always],
        releaseMode: .realTime, releaseTimes: [], releaseEveryMinutes: 0,
        checkCatalogPrices: true, publicPriceLists: ["PUBLIC", "PROMO"], timeZone: "Europe/Paris", shippingVAT: .prorated, giftCardSKUPrefixes: ["GIFTCARD"],
        countriesWithoutPostalCode: ["AE", "AG", "AO", "BS", "BZ", "HK", "QA"].compactMap(CountryCode.init),
        shippingChargeCode: "SHIPPING", defaultShippingMethod: "standard", paymentTerms: "PREPAID")

    /// Rules with every field given.
    public init(
        guestAccount: ERPAccountCode, roundingTolerance: ExactDecimal, importWhen: [PaymentMethod: PaymentImportRule],
        releaseMode: ReleaseMode, releaseTimes: [String], releaseEveryMinutes: Int, checkCatalogPrices: Bool,
        publicPriceLists: [PriceListCode], timeZone: String, shippingVAT: ShippingVAT, giftCardSKUPrefixes: [String],
        countriesWithoutPostalCode: [CountryCode], shippingChargeCode: Code, defaultShippingMethod: Code, paymentTerms: Code
    ) {
        self.guestAccount = guestAccount
        self.roundingTolerance = roundingTolerance
        self.importWhen = importWhen
        self.releaseMode = releaseMode
        self.releaseTimes = releaseTimes
        self.releaseEveryMinutes = releaseEveryMinutes
        self.checkCatalogPrices = checkCatalogPrices
        self.publicPriceLists = publicPriceLists
        self.timeZone = timeZone
        self.shippingVAT = shippingVAT
        self.giftCardSKUPrefixes = giftCardSKUPrefixes
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
        case publicPriceLists = "public_price_lists"
        case timeZone = "time_zone"
        case shippingVAT = "shipping_vat"
        case giftCardSKUPrefixes = "gift_card_sku_prefixes"
        case countriesWithoutPostalCode = "countries_without_postal_code"
        case shippingChargeCode = "shipping_charge_code"
        case defaultShippingMethod = "default_shipping_method"
        case paymentTerms = "payment_terms"
        case onAccountMethods = "on_account_methods"
        case retention = "retention_days"
        case forgottenMarginDays = "forgotten_margin_days"
        case daysBeforeCancel = "days_before_cancel"
        case priceQueryERPWaitMs = "price_query_erp_wait_ms"
        case priceCacheSeconds = "price_cache_seconds"
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
            throw DecodingError.dataCorruptedError(forKey: .releaseTimes, in: container, debugDescription: "each time must be \"HH:MM\" (local time)")
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
        publicPriceLists = try container.decode([PriceListCode].self, forKey: .publicPriceLists, default: defaults.publicPriceLists)
        timeZone = try container.decode(String.self, forKey: .timeZone, default: defaults.timeZone)
        if TimeZone(identifier: timeZone) == nil {
            throw DecodingError.dataCorruptedError(forKey: .timeZone, in: container, debugDescription: "must be an IANA time zone name such as Europe/Paris")
        }
        shippingVAT = try container.decode(ShippingVAT.self, forKey: .shippingVAT, default: defaults.shippingVAT)
        giftCardSKUPrefixes = try container.decode([String].self, forKey: .giftCardSKUPrefixes, default: defaults.giftCardSKUPrefixes)
        countriesWithoutPostalCode = try container.decode([CountryCode].self, forKey: .countriesWithoutPostalCode, default: defaults.countriesWithoutPostalCode)
        shippingChargeCode = try container.decode(Code.self, forKey: .shippingChargeCode, default: defaults.shippingChargeCode)
        defaultShippingMethod = try container.decode(Code.self, forKey: .defaultShippingMethod, default: defaults.defaultShippingMethod)
        paymentTerms = try container.decode(Code.self, forKey: .paymentTerms, default: defaults.paymentTerms)
        onAccountMethods = try container.decode([PaymentMethod].self, forKey: .onAccountMethods, default: defaults.onAccountMethods)
        retention = try container.decode(Retention.self, forKey: .retention, default: defaults.retention)
        forgottenMarginDays = try container.decode(Int.self, forKey: .forgottenMarginDays, default: defaults.forgottenMarginDays)
        if !(0...365).contains(forgottenMarginDays) {
            throw DecodingError.dataCorruptedError(forKey: .forgottenMarginDays, in: container, debugDescription: "must be between 0 and 365")
        }
        daysBeforeCancel = try container.decode(Int.self, forKey: .daysBeforeCancel, default: defaults.daysBeforeCancel)
        if !(0...365).contains(daysBeforeCancel) {
            throw DecodingError.dataCorruptedError(forKey: .daysBeforeCancel, in: container, debugDescription: "must be between 0 and 365")
        }
        priceQueryERPWaitMs = try container.decode(Int.self, forKey: .priceQueryERPWaitMs, default: defaults.priceQueryERPWaitMs)
        if !(0...60_000).contains(priceQueryERPWaitMs) {
            throw DecodingError.dataCorruptedError(forKey: .priceQueryERPWaitMs, in: container, debugDescription: "must be between 0 and 60000")
        }
        priceCacheSeconds = try container.decode(Int.self, forKey: .priceCacheSeconds, default: defaults.priceCacheSeconds)
        if !(0...86_400).contains(priceCacheSeconds) {
            throw DecodingError.dataCorruptedError(forKey: .priceCacheSeconds, in: container, debugDescription: "must be between 0 and 86400")
        }
    }

    /// When orders may go: the release schedule, or nil in real time.
    public var schedule: ReleaseSchedule? {
        releaseMode == .batched ? ReleaseSchedule(times: releaseTimes, everyMinutes: releaseEveryMinutes, timeZone: zone) : nil
    }

    /// The merchant's time zone (Paris when the name is unknown, which the rules file refuses).
    public var zone: TimeZone {
        TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/Paris") ?? .gmt
    }

    /// The merchant's local date at `instant`.
    public func localDate(at instant: Instant) -> LocalDate {
        LocalTime.date(at: instant, in: zone)
    }

    /// The largest difference a rounding line absorbs, in minor units of `currency`
    /// (rounded down: a tolerance never grows by rounding).
    public func tolerance(in currency: Currency) throws(SchemaError) -> Money {
        try Money(roundingTolerance, currency, rounding: .down)
    }
}
