import BusSchema

/// The held orders of one partition that a table record may free, by what they wait for: a
/// site account's link (`bus.customer-identity`), a SKU's catalogue entry (`shop.catalog`), or
/// an ERP account's exposure (`bus.account-exposure`).
/// Kept in the partition's state (state key `TableWaits.stateKey`) so that a table record
/// finds the orders it concerns without a scan of the partition.
public struct TableWaits: Codable, Sendable, Equatable {
    /// The state key of the index: "~" comes before no order number.
    public static let stateKey = "~table-waits"

    /// Order numbers by awaited key ("customer:<site account id>", "sku:<SKU>").
    public var orders: [String: [OrderNumber]] = [:]

    /// An empty index.
    public init() {}

    /// The key of a site account's link.
    public static func customer(_ account: SiteAccountID) -> String { "customer:" + account.rawValue }

    /// The key of a SKU's catalogue entry.
    public static func sku(_ sku: SKU) -> String { "sku:" + sku.rawValue }

    /// The key of an ERP account's exposure (`bus.account-exposure`).
    public static func account(_ account: ERPAccountCode) -> String { "account:" + account.rawValue }

    /// What a record waits for: for an order held for reasons a table can cure, the link of its
    /// site account (unknown customer; an unknown customer's price list may also cure a price;
    /// the account's status and credit limit, which customer-sync writes again on every link),
    /// the SKUs of its unknown or mispriced lines, and the exposure of the account over its
    /// credit limit (an invoice paid, an order cancelled, in any partition).
    public static func keys(of record: OrderRecord) -> Set<String> {
        guard record.stage == .held, let order = try? record.current() else { return [] }
        var keys = Set<String>()
        if let code = record.creditHeldFor, record.heldReasons.contains(where: { $0.code == .creditLimitExceeded }) { keys.insert(account(code)) }
        for reason in record.heldReasons {
            switch reason.code {
            case .unknownCustomer, .priceMismatch, .blockedAccount, .creditLimitExceeded:
                if let account = order.customer.siteAccountID { keys.insert(customer(account)) }
                if reason.code == .priceMismatch, let line = order.lines.first(where: { $0.lineNumber == reason.lineNumber }) { keys.insert(sku(line.sku)) }
            case .unknownSku:
                if let line = order.lines.first(where: { $0.lineNumber == reason.lineNumber }) { keys.insert(sku(line.sku)) }
            default:
                continue
            }
        }
        return keys
    }

    /// The keys a table record sets: a link's account; an entry's SKU and its variants'.
    public static func keys(setBy message: any BusMessage) -> [String] {
        switch message {
        case let link as IdentityLink: [customer(link.siteAccountID)]
        case let entry as CatalogEntry: [sku(entry.sku)] + entry.variants.map { sku($0.sku) }
        case let exposure as AccountOrderExposure: [account(exposure.accountCode)]
        default: []
        }
    }

    /// Records that `order` now waits for `keys` instead of `previous`.
    public mutating func update(_ order: OrderNumber, from previous: Set<String>, to keys: Set<String>) {
        for key in previous.subtracting(keys) {
            orders[key]?.removeAll { $0 == order }
            if orders[key]?.isEmpty == true { orders[key] = nil }
        }
        for key in keys.subtracting(previous) where !(orders[key]?.contains(order) ?? false) {
            orders[key, default: []].append(order)
        }
    }

    /// The orders waiting for any of `keys`, by order number.
    public func waiting(for keys: [String]) -> [OrderNumber] {
        Set(keys.flatMap { orders[$0] ?? [] }).sorted()
    }
}
