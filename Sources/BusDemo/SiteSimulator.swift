import BusSchema
import Foundation

/// A bad input the site or the ERP sent on purpose, and what must become of it.
struct BadInput: Sendable {
    enum Kind: Sendable, Equatable {
        /// A payment carrying a card number: dead-lettered by every worker reading payments.
        case cardNumber
        /// A truncated record: dead-lettered by every worker reading orders.
        case malformedRecord
        /// An order with a SKU the catalogue does not sell: held with the reason.
        case unknownSKU
        /// Both sides change a shared field at once: a conflict for a person.
        case conflictingEdit
    }

    let kind: Kind
    let topic: String
    let key: String
    /// The record's `ce_id`.
    let eventID: String
}

/// The site's side of the day: sign-ups at opening, orders with their payments, profile
/// edits; it reads the catalogue and availability the bus publishes, follows each order's
/// page (acceptance, tracking) and acts on it as customers do: changes and cancellations
/// before preparation, cancellations too late, returns; and it reports the refunds the
/// payment provider makes.
final class SiteSimulator {
    static let accountsSource = "site/accounts"
    static let checkoutSource = "site/checkout"
    static let paymentsSource = "site/payments"

    let day: BusinessDay
    let publisher: Publisher
    /// Whether order-ingest has taken in the ERP's status of an order (its committed offset
    /// is past the status record): the customer's next request must not overtake it.
    let orderIngestHasSeen: (OrderNumber, OrderStatus) -> Bool
    private(set) var accounts: [SiteAccountID: SiteCustomerAccount] = [:]
    /// The ERP account each site account was told it is linked to.
    private(set) var links: [SiteAccountID: ERPAccountCode] = [:]
    /// The latest catalogue entry of each article shown.
    private(set) var catalogue: [SKU: CatalogEntry] = [:]
    private(set) var availability: [SKU: Availability] = [:]
    var orders: [OrderNumber: SiteOrderFile] = [:]
    var badInputs: [BadInput] = []
    /// Things the site could not do, for the report.
    var problems: [String] = []
    private var republished: [SiteAccountID: Int] = [:]
    /// The store credit codes customers were sent, by the order whose return gave them.
    var storeCredits: [OrderNumber: (code: CreditCode, balance: Money, at: Instant)] = [:]
    /// Orders to be paid with store credit whose customer has no code yet, by index.
    var waitingForCredit: [Int] = []
    /// Accounts the bus kept sending changes to after the site applied them.
    private(set) var pingPong: Set<SiteAccountID> = []

    init(day: BusinessDay, publisher: Publisher, orderIngestHasSeen: @escaping (OrderNumber, OrderStatus) -> Bool) {
        self.day = day
        self.publisher = publisher
        self.orderIngestHasSeen = orderIngestHasSeen
        for signUp in day.customers.signUps { accounts[signUp.account.siteAccountID] = signUp.account }
    }

    /// Opening: the day's sign-ups, but those who sign up during the day (`FirstOrder`).
    func open() {
        let later = Set(day.firstOrders.map(\.account))
        for signUp in day.customers.signUps where !later.contains(signUp.account.siteAccountID) { publish(signUp.account) }
    }

    /// Takes the script's site events; ignores the ERP's.
    func perform(_ event: DayEvent, at time: Instant) throws {
        switch event {
        case .placeOrder(let index):
            try placeOrWait(index)
        case .signUp(let id):
            if let account = accounts[id] { publish(account) }
        case .bankTransferArrives(let index):
            try captureBankTransfer(day.orders[index], at: time)
        case .phoneChangedOnSite(let site, let phone):
            edit(site, at: time) { $0.phone = phone }
        case .conflictingEdit(let site, let phone, _):
            if let id = edit(site, at: time, { $0.phone = phone }) {
                badInputs.append(BadInput(kind: .conflictingEdit, topic: Topics.shopCustomers, key: site.rawValue, eventID: id))
            }
        case .cardNumberInPayment(let order):
            let payment = SitePayment(
                paymentID: PaymentID("pay-\(order.serial)-x"), orderNumber: order, kind: .capture, method: .card,
                amount: DemoValues.euros(100), provider: "stripe", providerReference: BusinessDay.leakedCardNumber, cardBrand: .visa, occurredAt: time)
            let id = publisher.publish(payment, topic: Topics.shopPayments, key: order.rawValue, source: Self.paymentsSource, time: time,
                                       name: "site/payment/\(order)/leak")
            badInputs.append(BadInput(kind: .cardNumber, topic: Topics.shopPayments, key: order.rawValue, eventID: id))
        case .malformedOrder(let order):
            let truncated = Data(#"{"order_number": "\#(order.rawValue)", "placed_at": "\#(time)", "lines": [{"sku": "MUG-WH"#.utf8)
            let id = publisher.publishRaw(truncated, as: SiteOrder.self, topic: Topics.shopOrders, key: order.rawValue,
                                          source: Self.checkoutSource, time: time, name: "site/order/\(order)")
            badInputs.append(BadInput(kind: .malformedRecord, topic: Topics.shopOrders, key: order.rawValue, eventID: id))
        case .stockReceipt, .stockCount, .articleObsolete, .termsChangedInERP, .erpEnteredOrderStep:
            break
        }
    }

    /// Reacts to a record of the topics the site reads.
    func observe(_ record: ObservedRecord) throws {
        switch record.topic {
        case Topics.shopCatalog:
            if let entry = record.message(as: CatalogEntry.self) { catalogue[entry.sku] = entry }
            if let gone = record.message(as: CatalogUnpublish.self) { catalogue[gone.sku] = nil }
        case Topics.shopAvailability:
            if let shown = record.message(as: Availability.self) { availability[shown.sku] = shown }
        case Topics.shopCustomerUpdates:
            if let update = record.message(as: SiteCustomerUpdate.self) { apply(update) }
        case Topics.shopNotifications:
            if let notification = record.message(as: CustomerNotification.self) { try received(notification) }
        case Topics.shopOrderTracking:
            if let acceptance = record.message(as: OrderAcceptance.self) {
                orders[acceptance.orderNumber]?.acceptance = acceptance
                try correctIfHeld(acceptance)
            }
            if let update = record.message(as: TrackingUpdate.self) { try follow(update) }
        default:
            break
        }
    }

    /// The site's price of `sku`: its article's entry (or the entry listing it as a variant).
    func price(of sku: SKU) -> SitePrice? {
        let entry = catalogue[sku] ?? catalogue.values.first { $0.variants.contains { $0.sku == sku } }
        guard let entry else { return nil }
        let row = entry.priceLists.first { $0.priceList == DemoCatalogue.priceList }
        let minimum = row.flatMap { Int($0.minimumQuantity.description) }
        return SitePrice(exclTax: entry.priceExclTax, inclTax: entry.priceInclTax, vatRate: entry.vatRate,
                         priceList: row.flatMap { row in minimum.map { ($0, row.priceExclTax, row.priceInclTax) } })
    }

    // MARK: Accounts

    /// Changes an account on the site and publishes it whole; returns the event id.
    @discardableResult
    private func edit(_ site: SiteAccountID, at time: Instant, _ change: (inout SiteCustomerAccount) -> Void) -> String? {
        guard var account = accounts[site] else { return nil }
        change(&account)
        account.updatedAt = time
        account.source = .site
        accounts[site] = account
        return publish(account)
    }

    /// Applies what the bus says the ERP decided (company, VAT number, addresses); the account
    /// is published again only when something the site shows changed.
    private func apply(_ update: SiteCustomerUpdate) {
        let site = update.siteAccountID
        if let code = update.erpAccountCode { links[site] = code }
        guard update.action == .update, var account = accounts[site] else { return }
        let before = account
        if let company = update.companyName { account.companyName = company }
        if let vat = update.vatNumber { account.vatNumber = vat }
        if !update.addresses.isEmpty { account.addresses = update.addresses }
        guard account != before else { return }
        republished[site, default: 0] += 1
        guard republished[site, default: 0] <= 5 else {
            pingPong.insert(site)
            return
        }
        account.updatedAt = max(update.changedAt, before.updatedAt)
        account.source = .bus
        accounts[site] = account
        publish(account)
    }

    @discardableResult
    private func publish(_ account: SiteCustomerAccount) -> String {
        publisher.publish(account, topic: Topics.shopCustomers, key: account.siteAccountID.rawValue, source: Self.accountsSource,
                          time: account.updatedAt, name: "site/account/\(account.siteAccountID)")
    }
}
