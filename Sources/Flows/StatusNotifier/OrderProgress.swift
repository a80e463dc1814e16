import BusSchema

/// Where one order stands as the site and the customer were told: the state kept per order number.
public struct OrderProgress: Codable, Sendable, Equatable {
    /// The highest ERP status sequence taken in; a status at or below it changes nothing.
    public var sequence = 0
    /// The status shown: the highest reached (see `Progression`); nil before any ERP status.
    public var status: OrderStatus?
    /// When the latest information shown happened (status or document), from the messages.
    public var updatedAt: Instant?
    /// Every shipment so far, by id (a later status's version of a shipment replaces it).
    public var shipments: [Shipment] = []
    /// The open problems of the latest status (none once the order is delivered or cancelled).
    public var problems: [OrderProblem] = []
    /// The documents shown, of the kinds the rules list.
    public var documents: [OrderDocument] = []
    /// The language the customer ordered in, from the site order.
    public var language: LanguageCode?
    /// The customer's site account, from the site order; nil for a guest or before the site order.
    public var siteAccountID: SiteAccountID?
    /// Whether the site order was taken in.
    public var orderKnown = false
    /// True for an order entered in the ERP: no site order introduced it, and its site customer
    /// (`siteAccountID`) was found through the identity link of the account that ordered.
    public var enteredInERP: Bool?
    /// The order's returns and where each stands (nil: none).
    public var returns: [ReturnProgress]?
    /// The transitions already handled ("shipped", "stock_out-3-MUG", "invoice_issued-FA-1"),
    /// notified or not: each is notified at most once, whatever comes again.
    public var handled: [String] = []
    /// What the site was last sent.
    public var shown: TrackingPicture?
    /// order-ingest's latest decision about the order (`bus.order-acceptance`): shown on the
    /// order's page until the ERP's first status, never after (nil: none read).
    public var acceptance: OrderAcceptance?
    /// Notifications held until the site order is read (it carries the customer's language and
    /// account), in the order they happened; nil when none waits. See `SiteOrderWait`.
    public var waiting: [Happening]?
    /// The time of the input that made the first of `waiting` wait: the wait counts from it.
    public var waitingSince: Instant?
    /// The time of the latest input about this order: retention counts from it (nil in
    /// progress written before retention existed: it gets a timer at its next input).
    public var lastEventAt: Instant?

    /// An order nothing is known of yet.
    public init() {}
}

/// What the site's order page shows: a tracking update without its sequence and time, so that
/// a newer status that changes nothing visible sends nothing.
public struct TrackingPicture: Codable, Sendable, Equatable {
    /// The status shown.
    public var status: TrackingStatus
    /// Shipments with their tracking, lines and quantities.
    public var shipments: [Shipment]
    /// Why it is delayed.
    public var delay: OrderProblemKind?
    /// When it should arrive.
    public var expectedDeliveryOn: LocalDate?
    /// Documents to fetch; nil when none.
    public var documents: [OrderDocument]?
    /// Returns and where each stands; nil when none.
    public var returns: [ReturnProgress]?
}

/// A transition that happened to an order, with what its notification would say (kept in
/// state while it waits for the site order).
public struct Happening: Codable, Sendable, Equatable {
    /// What happened.
    public var transition: Transition
    /// Its identity among the order's transitions: the notification's id is made from it.
    public var key: String
    /// The values a template for it needs, and nothing more (no personal data).
    public var parameters: [String: String]
    /// When it happened, from the message.
    public var at: Instant
}
