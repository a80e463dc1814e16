import BusSchema

/// The ERP's prices still fresh for one SKU, per (ERP account, quantity break), in one value
/// per SKU and partition (state key `PriceCache.stateKey(of:)`): a query whose every line is
/// cached is answered at once, without the ERP.
///
/// Why per SKU and not one value per partition: each ERP answer rewrites the values it
/// changes, and each value changed is one changelog record. One value per partition grew to
/// its capacity (2,000 prices, about 1 MB of JSON: past Kafka's default record limit) and was
/// encoded again and written whole for every ERP answer; per SKU, an answer writes one small
/// value per line, a lookup reads one, and a new catalogue entry drops one key.
///
/// Each entry keeps the grounds it was priced on (the account's price list and the SKU's
/// published prices): an entry whose grounds are no longer the tables' is never served, so a
/// catalogue or price-list change the partition was not told of (it was owned elsewhere)
/// still invalidates it. `tableChanged` drops a SKU's entries as soon as it is told of its new
/// catalogue entry.
public struct PriceCache: Codable, Sendable, Equatable {
    /// One ERP price.
    public struct Entry: Codable, Sendable, Equatable {
        /// The ERP account priced.
        public var account: ERPAccountCode
        /// The SKU.
        public var sku: SKU
        /// The quantity break (the catalogue's minimum quantity of the price row that applies; zero: none).
        public var quantityBreak: Quantity
        /// The ERP's line, as it answered (its quantity is the one it was asked about).
        public var line: PricedLine
        /// What the price was computed against.
        public var grounds: PriceGrounds
        /// When it stops being served.
        public var expiresAt: Instant

        private enum CodingKeys: String, CodingKey {
            case account
            case sku
            case quantityBreak = "quantity_break"
            case line
            case grounds
            case expiresAt = "expires_at"
        }
    }

    /// The entries, oldest first.
    public var entries: [Entry] = []

    /// The most entries kept per SKU and partition (accounts × quantity breaks): the oldest go first.
    public static let capacity = 200

    /// The prefix of every cache key: no order number starts with "~".
    public static let keyPrefix = "~price-cache/"

    /// The state key of `sku`'s prices.
    public static func stateKey(of sku: SKU) -> String { keyPrefix + sku.rawValue }

    /// An empty cache.
    public init() {}

    /// The fresh entry for (account, SKU, break) whose grounds are `grounds`, at `now`.
    public func price(account: ERPAccountCode, sku: SKU, quantityBreak: Quantity, grounds: PriceGrounds, now: Instant) -> Entry? {
        entries.last { $0.account == account && $0.sku == sku && $0.quantityBreak == quantityBreak && $0.grounds == grounds && now < $0.expiresAt }
    }

    /// Keeps `entry` in place of any for the same (account, SKU, break).
    public mutating func store(_ entry: Entry) {
        entries.removeAll { $0.account == entry.account && $0.sku == entry.sku && $0.quantityBreak == entry.quantityBreak }
        entries.append(entry)
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    /// Drops every entry `drop` says to; returns whether any went.
    public mutating func remove(where drop: (Entry) -> Bool) -> Bool {
        let before = entries.count
        entries.removeAll(where: drop)
        return entries.count != before
    }

    /// The first expiry: the cache's timer.
    public var nextExpiry: Instant? { entries.map(\.expiresAt).min() }
}

/// What a price was computed against: the account's price list (from the identity table) and
/// the SKU's published prices (public price and price-list rows). A new `erp.articles` (so a
/// new `shop.catalog` entry) or a price-list change changes them.
public struct PriceGrounds: Codable, Sendable, Equatable {
    /// The account's price list.
    public var priceList: PriceListCode?
    /// The published public price excluding tax; nil when the catalogue does not sell the SKU.
    public var publicPriceExclTax: Money?
    /// The published price-list rows of the SKU.
    public var rows: [CatalogPrice]

    /// The grounds.
    public init(priceList: PriceListCode?, entry: CatalogEntry?) {
        self.priceList = priceList
        publicPriceExclTax = entry?.priceExclTax
        rows = entry?.priceLists ?? []
    }

    private enum CodingKeys: String, CodingKey {
        case priceList = "price_list"
        case publicPriceExclTax = "public_price_excl_tax"
        case rows
    }
}
