/// The topic names flows and the runtime write to, as named in `topics/topics.json`
/// (a test checks that each one is in the catalogue).
public enum Topics {
    public static let erpCustomers = "erp.customers"
    public static let shopCustomers = "shop.customers"
    public static let erpCustomerUpdates = "erp.customer-updates"
    public static let shopCustomerUpdates = "shop.customer-updates"
    public static let customerIdentity = "bus.customer-identity"
    public static let erpArticles = "erp.articles"
    public static let shopCatalog = "shop.catalog"
    public static let erpStock = "erp.stock"
    public static let shopAvailability = "shop.availability"
    /// What orders in flight hold of a SKU until the ERP reserves it (keyed by SKU).
    public static let stockClaims = "bus.stock-claims"
    /// The site's live availability queries (keyed by the asker's reply key).
    public static let availabilityQueries = "shop.availability-queries"
    /// Their answers (keyed as the query).
    public static let availabilityAnswers = "shop.availability-answers"
    /// The site's live price queries (keyed by the asker's reply key).
    public static let priceQueries = "shop.price-queries"
    /// Their answers (keyed as the query).
    public static let priceAnswers = "shop.price-answers"
    /// Price queries relayed to the ERP (keyed as the site's query).
    public static let erpPriceQueries = "erp.price-queries"
    /// The ERP's answers to them (keyed as the query).
    public static let erpPriceAnswers = "erp.price-answers"
    public static let shopOrders = "shop.orders"
    public static let erpSalesOrders = "erp.sales-orders"
    public static let erpOrderStatus = "erp.order-status"
    /// What the site shows on an order's page: written by status-notifier only.
    public static let shopOrderTracking = "shop.order-tracking"
    /// order-ingest's decisions about orders (keyed by order number), which status-notifier
    /// shows on `shop.order-tracking` until the ERP's first status.
    public static let orderAcceptance = "bus.order-acceptance"
    public static let shopNotifications = "shop.notifications"
    public static let shopPayments = "shop.payments"
    public static let erpInvoices = "erp.invoices"
    public static let erpReceipts = "erp.receipts"
    public static let erpLettering = "erp.lettering"
    /// Credit code spends accepted or refused, for the site (keyed by order number).
    public static let shopStoreCredits = "shop.store-credits"
    /// Each ERP account's invoices with their lettering status, for the site (keyed by invoice number).
    public static let shopAccountInvoices = "shop.account-invoices"
    /// What each order on account still owes its ERP account (keyed by order number), read
    /// whole by order-ingest for its credit checks.
    public static let accountExposure = "bus.account-exposure"
    /// Business cases a person must decide.
    public static let exceptions = "bus.exceptions"
    /// Operators' requests to workers (keyed by worker name).
    public static let control = "bus.control"
    /// Workers' answers to operators' queries and commands on `bus.control` (keyed by the request's key).
    public static let controlReplies = "bus.control-replies"
    /// Erased people (keyed by site account id): read whole by every worker that keeps orders.
    public static let erasures = "bus.erasures"

    /// The compacted ("latest wins") topics workers write, state changelogs aside: their records
    /// describe state, so their ids also cover their content
    /// (`Envelope.derived(worker:position:type:dataSchema:topic:key:value:)`). The catalogue
    /// check holds this set to the topics `topics.json` says are compacted.
    public static let latestWins: Set<String> = [
        erpCustomerUpdates, shopCustomerUpdates, customerIdentity, shopCatalog, shopAvailability,
        shopOrderTracking, shopAccountInvoices, accountExposure, erasures,
    ]

    /// The dead-letter topic of `worker`.
    public static func deadLetters(of worker: String) -> String { "bus.dlq.\(worker)" }
    /// The state changelog of `worker`.
    public static func changelog(of worker: String) -> String { "bus.\(worker).state" }
}
