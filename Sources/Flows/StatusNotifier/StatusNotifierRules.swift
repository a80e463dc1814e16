import BusSchema

/// The status-notifier's rules, read from the worker's JSON rules file (`BUS_CONFIG`).
///
/// Every field has a default (see `defaults`), so a file lists only what it changes. A field
/// given replaces its default whole (a `notifications` object lists every transition to
/// notify). A wrong type, `null`, an unknown transition, a malformed template code or a
/// negative number of days makes the file invalid.
public struct StatusNotifierRules: Sendable, Equatable, Decodable {
    /// The transitions customers are told about, with the template of each.
    public var notifications: [Transition: Code]
    /// The languages templates exist in; empty: every language.
    public var languages: [LanguageCode]
    /// The language when neither the customer's nor the order's has templates. Never nil in
    /// rules read from a file or in the defaults; optional only because a language value is
    /// made by parsing a tag.
    public var fallbackLanguage: LanguageCode?
    /// How notifications are sent.
    public var channel: NotificationChannel
    /// The documents shown on the order's page.
    public var documents: [OrderDocumentKind]
    /// The name customers read for each carrier code ("colissimo": "Colissimo"); absent: the code.
    public var carrierNames: [String: String]
    /// Days from leaving the warehouse to delivery, per carrier code; absent: no expected date.
    public var transitDays: [String: Int]
    /// How long an order's progress is kept once delivered or cancelled, after its last event
    /// (`retention_days`, 0: for ever).
    public var retention = Retention(days: 60)
    /// How long a notification waits for the site order (its language and account) when the
    /// ERP's news of an order comes first, in minutes of the partition's clock
    /// (`site_order_wait_minutes`, 0: no wait). Past it, it goes out with an exception.
    public var siteOrderWaitMinutes = 1_440

    /// Confirmation, shipments, delivery, cancellation and every problem are notified (not
    /// "in preparation" or invoices); templates in every language, English as fallback; by
    /// e-mail; acknowledgement and invoices shown; carriers by their code; no delivery estimate;
    /// a notification waits up to a day for its site order.
    public static let defaults = StatusNotifierRules(
        notifications: [
            .validated: "order_confirmed", .partiallyShipped: "order_partially_shipped", .shipped: "order_shipped",
            .delivered: "order_delivered", .cancelled: "order_cancelled", .stockOut: "order_delayed",
            .paymentIssue: "order_payment_issue", .addressIssue: "order_address_issue",
            .refundIssued: "order_refunded", .storeCreditIssued: "store_credit_issued", .giftCardIssued: "gift_card_issued",
        ],
        languages: [], fallbackLanguage: LanguageCode("en"), channel: .email,
        documents: [.acknowledgement, .invoice, .creditNote], carrierNames: [:], transitDays: [:])

    /// Rules with every field given.
    public init(
        notifications: [Transition: Code], languages: [LanguageCode], fallbackLanguage: LanguageCode?, channel: NotificationChannel,
        documents: [OrderDocumentKind], carrierNames: [String: String], transitDays: [String: Int]
    ) {
        self.notifications = notifications
        self.languages = languages
        self.fallbackLanguage = fallbackLanguage
        self.channel = channel
        self.documents = documents
        self.carrierNames = carrierNames
        self.transitDays = transitDays
    }

    private enum CodingKeys: String, CodingKey {
        case notifications
        case languages
        case fallbackLanguage = "fallback_language"
        case channel
        case documents
        case carrierNames = "carrier_names"
        case transitDays = "transit_days"
        case retention = "retention_days"
        case siteOrderWaitMinutes = "site_order_wait_minutes"
    }

    /// Reads a rules file, taking the default for each absent field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self.defaults
        notifications = try container.decode([Transition: Code].self, forKey: .notifications, default: defaults.notifications)
        for (transition, template) in notifications where !template.isWellFormed {
            throw DecodingError.dataCorruptedError(forKey: .notifications, in: container,
                                                   debugDescription: "the template of '\(transition.rawValue)' must be a code: letters, digits, '_', '.' or '-'")
        }
        languages = try container.decode([LanguageCode].self, forKey: .languages, default: defaults.languages)
        fallbackLanguage = try container.contains(.fallbackLanguage) ? container.decode(LanguageCode.self, forKey: .fallbackLanguage) : defaults.fallbackLanguage
        channel = try container.decode(NotificationChannel.self, forKey: .channel, default: defaults.channel)
        documents = try container.decode([OrderDocumentKind].self, forKey: .documents, default: defaults.documents)
        carrierNames = try container.decode([String: String].self, forKey: .carrierNames, default: defaults.carrierNames)
        transitDays = try container.decode([String: Int].self, forKey: .transitDays, default: defaults.transitDays)
        if let carrier = transitDays.first(where: { $0.value < 0 })?.key {
            throw DecodingError.dataCorruptedError(forKey: .transitDays, in: container, debugDescription: "the days of '\(carrier)' must not be negative")
        }
        retention = try container.decode(Retention.self, forKey: .retention, default: defaults.retention)
        siteOrderWaitMinutes = try container.decode(Int.self, forKey: .siteOrderWaitMinutes, default: defaults.siteOrderWaitMinutes)
        guard (0...Self.maxSiteOrderWaitMinutes).contains(siteOrderWaitMinutes) else {
            throw DecodingError.dataCorruptedError(forKey: .siteOrderWaitMinutes, in: container,
                                                   debugDescription: "the wait for the site order must be between 0 (no wait) and \(Self.maxSiteOrderWaitMinutes) minutes")
        }
    }

    /// The longest wait for the site order a rules file may ask for: thirty days.
    public static let maxSiteOrderWaitMinutes = 43_200

    /// The template for `transition`, when customers are told about it.
    public func template(for transition: Transition) -> Code? {
        notifications[transition]
    }

    /// The name customers read for `carrier`.
    public func carrierName(_ carrier: Code) -> String {
        carrierNames[carrier.rawValue] ?? carrier.rawValue
    }

    /// When a parcel that left on `shippedAt` with `carrier` should arrive, if the carrier's transit time is known.
    public func expectedDelivery(carrier: Code, shippedAt: Instant) -> LocalDate? {
        transitDays[carrier.rawValue].flatMap { shippedAt.utcDate.adding(days: $0) }
    }
}
