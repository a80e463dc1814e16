import BusSchema

/// The payment-letterer's rules, read from the worker's JSON rules file (`BUS_CONFIG`).
///
/// Every field has a default (see `defaults`), so a file lists only what it changes; `journals`
/// entries are added to the default ones (an entry with the same key replaces it). A field
/// given with a wrong type, `null`, a malformed journal code or a negative amount makes the
/// file invalid.
public struct PaymentLettererRules: Sendable, Equatable, Decodable {
    /// The ERP journal of each payment method, by `"<method>"` or `"<method>/<provider>"`
    /// (`"card/stripe"`); the more specific key wins.
    public var journals: [String: Code]
    /// The journal of a payment that no entry of `journals` names.
    public var defaultJournal: Code
    /// How much more than an order's invoices the customer may pay, in major units of the
    /// order's currency, before it is an overpayment exception.
    public var overpaymentTolerance: ExactDecimal
    /// How long an account found overpaid waits before the overpayment is raised, in minutes
    /// of the partition's clock (`overpayment_wait_minutes`, 0: raised at once). Kafka keeps no
    /// order across topics: a replay can read the ERP's invoice before the site's refund dated
    /// earlier, and the account then looks overpaid for a moment (`OverpaymentWait`).
    public var overpaymentWaitMinutes = 60
    /// How many days store credit can be spent after its credit note; 0: it never expires.
    public var storeCreditValidityDays: Int
    /// How long an order's account is kept once fully invoiced and lettered, after its last
    /// event (`retention_days`, 0: for ever).
    public var retention = Retention(days: 90)
    /// The SKU prefixes of gift cards sold as articles (as order-ingest's
    /// `gift_card_sku_prefixes`): once their order is paid in full, each unit issues a code.
    public var giftCardSKUPrefixes = ["GIFTCARD"]
    /// How many days a gift card can be spent after it was paid; 0: it never expires.
    public var giftCardValidityDays = 365

    /// One journal per method (cards and PayPal to their bank journals, vouchers, gift cards
    /// and store credit to their clearing journals), "BQ-WEB" otherwise; 0.05 of tolerance;
    /// store credit valid 365 days; an overpayment raised after an hour.
    public static let defaults = PaymentLettererRules(
        journals: [
            PaymentMethod.card.rawValue: "BQ-CARD",
            PaymentMethod.paypal.rawValue: "BQ-PAYPAL",
            PaymentMethod.bankTransfer.rawValue: "BQ-BANK",
            PaymentMethod.voucher.rawValue: "OD-VOUCHER",
            PaymentMethod.giftCard.rawValue: "OD-GIFTCARD",
            PaymentMethod.creditNote.rawValue: "OD-STORECREDIT",
        ],
        defaultJournal: "BQ-WEB",
        overpaymentTolerance: ExactDecimal(significand: 5, scale: 2) ?? ExactDecimal(0),
        storeCreditValidityDays: 365)

    /// Rules with every field given.
    public init(journals: [String: Code], defaultJournal: Code, overpaymentTolerance: ExactDecimal, storeCreditValidityDays: Int) {
        self.journals = journals
        self.defaultJournal = defaultJournal
        self.overpaymentTolerance = overpaymentTolerance
        self.storeCreditValidityDays = storeCreditValidityDays
    }

    private enum CodingKeys: String, CodingKey {
        case journals
        case defaultJournal = "default_journal"
        case overpaymentTolerance = "overpayment_tolerance"
        case overpaymentWaitMinutes = "overpayment_wait_minutes"
        case storeCreditValidityDays = "store_credit_validity_days"
        case retention = "retention_days"
        case giftCardSKUPrefixes = "gift_card_sku_prefixes"
        case giftCardValidityDays = "gift_card_validity_days"
    }

    /// Reads a rules file, taking the default for each absent field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.defaults
        let given = try container.decode([String: Code].self, forKey: .journals, default: [:])
        for (key, journal) in given where !journal.isWellFormed {
            throw DecodingError.dataCorruptedError(forKey: .journals, in: container,
                                                   debugDescription: "the journal of '\(key)' must be a code: letters, digits, '_', '.' or '-'")
        }
        journals = defaults.journals.merging(given) { _, new in new }
        defaultJournal = try container.decode(Code.self, forKey: .defaultJournal, default: defaults.defaultJournal)
        guard defaultJournal.isWellFormed else {
            throw DecodingError.dataCorruptedError(forKey: .defaultJournal, in: container, debugDescription: "must be a code: letters, digits, '_', '.' or '-'")
        }
        overpaymentTolerance = try container.decode(ExactDecimal.self, forKey: .overpaymentTolerance, default: defaults.overpaymentTolerance)
        guard !overpaymentTolerance.isNegative else {
            throw DecodingError.dataCorruptedError(forKey: .overpaymentTolerance, in: container, debugDescription: "must not be negative")
        }
        overpaymentWaitMinutes = try container.decode(Int.self, forKey: .overpaymentWaitMinutes, default: defaults.overpaymentWaitMinutes)
        guard (0...Self.maxOverpaymentWaitMinutes).contains(overpaymentWaitMinutes) else {
            throw DecodingError.dataCorruptedError(forKey: .overpaymentWaitMinutes, in: container,
                                                   debugDescription: "the wait before an overpayment is raised must be between 0 (no wait) and \(Self.maxOverpaymentWaitMinutes) minutes")
        }
        storeCreditValidityDays = try container.decode(Int.self, forKey: .storeCreditValidityDays, default: defaults.storeCreditValidityDays)
        guard storeCreditValidityDays >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .storeCreditValidityDays, in: container, debugDescription: "must not be negative")
        }
        retention = try container.decode(Retention.self, forKey: .retention, default: defaults.retention)
        giftCardSKUPrefixes = try container.decode([String].self, forKey: .giftCardSKUPrefixes, default: defaults.giftCardSKUPrefixes)
        guard !giftCardSKUPrefixes.contains(where: \.isEmpty) else {
            throw DecodingError.dataCorruptedError(forKey: .giftCardSKUPrefixes, in: container, debugDescription: "a prefix must not be empty")
        }
        giftCardValidityDays = try container.decode(Int.self, forKey: .giftCardValidityDays, default: defaults.giftCardValidityDays)
        guard giftCardValidityDays >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .giftCardValidityDays, in: container, debugDescription: "must not be negative")
        }
    }

    /// The longest wait before an overpayment is raised a rules file may ask for: thirty days.
    public static let maxOverpaymentWaitMinutes = 43_200

    /// The journal a payment is booked in: `"<method>/<provider>"`, else `"<method>"`, else the default.
    public func journal(for method: PaymentMethod, provider: Code?) -> Code {
        if let provider, let journal = journals["\(method.rawValue)/\(provider.rawValue)"] { return journal }
        return journals[method.rawValue] ?? defaultJournal
    }

    /// The tolerance in minor units of `currency`, rounded down: an overpayment must exceed it.
    public func tolerance(in currency: Currency) throws(SchemaError) -> Money {
        try Money(overpaymentTolerance, currency, rounding: .down)
    }

    /// The last day store credit issued on `day` can be spent; nil when it never expires.
    public func storeCreditExpiry(issuedOn day: LocalDate) -> LocalDate? {
        storeCreditValidityDays == 0 ? nil : day.adding(days: storeCreditValidityDays)
    }

    /// The last day a gift card paid on `day` can be spent; nil when it never expires.
    public func giftCardExpiry(paidOn day: LocalDate) -> LocalDate? {
        giftCardValidityDays == 0 ? nil : day.adding(days: giftCardValidityDays)
    }

    /// Whether `sku` is a gift card sold as an article.
    public func isGiftCard(_ sku: SKU) -> Bool {
        giftCardSKUPrefixes.contains { sku.rawValue.hasPrefix($0) }
    }
}
