import BusSchema

/// B2B on account: an account whose ERP payment terms are not the prepaid ones (`payment_terms`
/// rule) pays the part of an order given in an on-account method (`on_account_methods`, bank
/// transfer by default) on its invoice, so that part waits for no capture; it owes it until
/// the invoice is paid. The rules, as pure functions over the order, the account (from the
/// identity table) and the account's open amounts (its orders of every partition).
public enum AccountCredit {
    /// The part of `order` taken on account by `customer`, or nil when none is: the account's
    /// terms are prepaid (or unknown), or no payment uses an on-account method.
    public static func onAccountAmount(of order: SiteOrder, customer: ERPCustomer, rules: OrderIngestRules) throws(SchemaError) -> Money? {
        guard let terms = customer.paymentTerms, terms != rules.paymentTerms else { return nil }
        let onAccount = order.payments.filter { rules.onAccountMethods.contains($0.method) }
        guard !onAccount.isEmpty else { return nil }
        return try Money.sum(onAccount.map(\.amount), in: order.currency)
    }

    /// What `salesOrder` puts on account: the amount of its on-account payments when it goes on
    /// the account's own terms; nil when it is prepaid. `previous` keeps its invoices.
    static func charge(of salesOrder: ERPSalesOrder, rules: OrderIngestRules, keeping previous: AccountCharge?) -> AccountCharge? {
        guard salesOrder.paymentTerms != rules.paymentTerms else { return nil }
        let amounts = salesOrder.payments.filter { rules.onAccountMethods.contains($0.method) && $0.amount.currency == salesOrder.currency }
        guard !amounts.isEmpty else { return nil }
        var charge = AccountCharge(account: salesOrder.soldTo, amount: Money(amount: amounts.reduce(Int64(0)) { $0 + $1.amount.amount }, currency: salesOrder.currency))
        if previous?.account == charge.account { charge.invoices = previous?.invoices ?? [:] }
        return charge
    }

    /// Why the account may not take `order`: blocked or closed (every order, however paid), or
    /// the amount on account would take what it owes beyond its credit limit. `open` is what
    /// the account owes for its other orders, in every partition; a limit in another
    /// currency than the order's is not compared (the ERP keeps one currency per account).
    public static func findings(customer: ERPCustomer, onAccount: Money?, open: Money) -> [Finding] {
        if customer.status == .blocked || customer.status == .closed {
            return [Finding(code: .blockedAccount, kind: .other,
                            message: "the ERP account \(customer.account) is \(customer.status.rawValue): it may not order until the ERP reopens it",
                            details: ["account_code": customer.account.rawValue, "account_status": customer.status.rawValue])]
        }
        guard let onAccount, let limit = customer.creditLimit, limit.currency == onAccount.currency, open.currency == limit.currency else { return [] }
        let owed = Money(amount: open.amount + onAccount.amount, currency: limit.currency)
        guard owed.amount > limit.amount else { return [] }
        return [Finding(code: .creditLimitExceeded, kind: .other,
                        message: "the account's open amount with this order, \(owed), exceeds its credit limit, \(limit) (open before it \(open), this order on account \(onAccount))",
                        details: ["account_code": customer.account.rawValue, "credit_limit": limit.description, "open_amount": owed.description,
                                  "open_before": open.description, "order_amount": onAccount.description])]
    }
}

/// What an order sent on account owes, kept on its record: the amount sent, and each of its
/// invoices as `shop.account-invoices` last showed it (total and still open).
public struct AccountCharge: Codable, Sendable, Equatable {
    /// The ERP account that owes it.
    public var account: ERPAccountCode
    /// The amount on account the ERP has (the latest revision's).
    public var amount: Money
    /// Invoice number → its total and what is still open.
    public var invoices: [String: InvoiceFigures] = [:]

    /// A charge of `amount` to `account`, not yet invoiced.
    public init(account: ERPAccountCode, amount: Money) {
        self.account = account
        self.amount = amount
    }

    /// What is still owed: the part not yet invoiced, plus what its invoices leave open.
    public var open: Money {
        let invoiced = invoices.values.reduce(Int64(0)) { $0 + $1.total }
        let stillOpen = invoices.values.reduce(Int64(0)) { $0 + $1.open }
        return Money(amount: max(0, amount.amount - invoiced) + stillOpen, currency: amount.currency)
    }

    /// An invoice's figures, in minor units of the charge's currency.
    public struct InvoiceFigures: Codable, Sendable, Equatable {
        /// The invoice total.
        public var total: Int64
        /// What it leaves open.
        public var open: Int64
    }

    private enum CodingKeys: String, CodingKey {
        case account, amount, invoices
    }
}

/// The open amounts of a partition's orders on account, by ERP account (state key
/// `AccountExposure.stateKey`): kept in step with the records by `OrderHandling.save`, so a
/// credit check reads one entry rather than every order of the partition. The same amounts
/// are published per order on `bus.account-exposure`, from which the check reads the orders of
/// the other partitions (`open(_:in:excluding:elsewhere:isHere:)`).
public struct AccountExposure: Codable, Sendable, Equatable {
    /// The state key of the index: "~" comes before no order number.
    public static let stateKey = "~account-exposure"

    /// Account code → order number → what that order still owes (only orders owing something).
    public var accounts: [String: [String: Money]] = [:]

    /// An empty index.
    public init() {}

    /// What `account` owes in `currency` for the partition's orders, `excluding` one of them.
    public func open(_ account: ERPAccountCode, in currency: Currency, excluding order: OrderNumber) -> Money {
        let orders = accounts[account.rawValue] ?? [:]
        let total = orders.filter { $0.key != order.rawValue && $0.value.currency == currency }.values.reduce(Int64(0)) { $0 + $1.amount }
        return Money(amount: total, currency: currency)
    }

    /// What `account` owes in `currency` for all its orders, `excluding` one: the partition's as
    /// this index holds them (up to date), every other order's as `bus.account-exposure` in
    /// `tables` last showed it. An order `isHere` (its record is in this partition) is counted
    /// from the index only: the table may not have caught up with it yet, or may still show
    /// what it owed before.
    public func open(_ account: ERPAccountCode, in currency: Currency, excluding order: OrderNumber,
                     elsewhere tables: any TableLookup, isHere: (OrderNumber) -> Bool) -> Money {
        var total = open(account, in: currency, excluding: order).amount
        for key in tables.keys(in: Topics.accountExposure, group: account.rawValue) where key != order.rawValue {
            let number = OrderNumber(rawValue: key)
            guard !isHere(number), let entry = tables.latest(AccountOrderExposure.self, in: Topics.accountExposure, key: key),
                  entry.accountCode == account, entry.open.currency == currency else { continue }
            total += entry.open.amount
        }
        return Money(amount: total, currency: currency)
    }

    /// Records what `order` owes now (nothing: it leaves the index).
    public mutating func set(_ order: OrderNumber, owing charge: AccountCharge?) {
        for account in accounts.keys where accounts[account]?[order.rawValue] != nil && account != charge?.account.rawValue {
            accounts[account]?[order.rawValue] = nil
            if accounts[account]?.isEmpty == true { accounts[account] = nil }
        }
        guard let charge else { return }
        let open = charge.open
        if open.amount > 0 {
            accounts[charge.account.rawValue, default: [:]][order.rawValue] = open
        } else {
            accounts[charge.account.rawValue]?[order.rawValue] = nil
            if accounts[charge.account.rawValue]?.isEmpty == true { accounts[charge.account.rawValue] = nil }
        }
    }
}

extension OrderRecord {
    /// What the order owes on account now: its charge while in the ERP and not cancelled there.
    var owing: AccountCharge? {
        guard stage == .sent, erpStatus != .cancelled else { return nil }
        return onAccount
    }
}
