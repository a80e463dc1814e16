import BusSchema

/// Something that happens at a given time of the simulated day.
enum DayEvent: Sendable {
    /// The site takes the order `orders[index]`.
    case placeOrder(Int)
    /// The bank transfer for `orders[index]` is received: the site records the capture.
    case bankTransferArrives(Int)
    /// Goods expected at a warehouse are received.
    case stockReceipt(SKU, WarehouseCode, units: Int)
    /// A stock count corrects the quantity on hand.
    case stockCount(SKU, WarehouseCode, delta: Int)
    /// The ERP makes an article obsolete: the site must take it off.
    case articleObsolete
    /// A customer changes their phone on the site.
    case phoneChangedOnSite(SiteAccountID, phone: String)
    /// The credit department changes a company's payment terms in the ERP.
    case termsChangedInERP(ERPAccountCode, terms: Code)
    /// The customer and the ERP change the same shared field a second apart: a person decides.
    case conflictingEdit(SiteAccountID, sitePhone: String, erpPhone: String)
    /// A payment whose provider reference is a card number (a badly configured payment module).
    case cardNumberInPayment(OrderNumber)
    /// A truncated order record (a crashed export).
    case malformedOrder(OrderNumber)
    /// A new customer signs up on the site during the day (`FirstOrder`), not at opening.
    case signUp(SiteAccountID)
    /// Step `index` of the order sales administration entered in the ERP (`ERPEnteredOrder`).
    case erpEnteredOrderStep(Int)
}

/// An event and its time.
struct TimedEvent: Sendable {
    let at: Instant
    let event: DayEvent
}

/// The simulator's script for one business day, drawn from a seed: the master data at
/// opening time (catalogue, stock, customers and sign-ups), then the day's orders and
/// everything else in time order, deliberately bad inputs included. The two simulators
/// react to what the bus sends them; this is only what they do of their own accord.
struct BusinessDay: Sendable {
    let seed: UInt64
    /// What every key and id of the day carries, so that runs on one cluster stay apart.
    let run: RunTag
    let clock: DayClock
    let catalogue: DemoCatalogue
    let customers: DemoCustomers
    /// The day's orders, the invalid one (a SKU the catalogue does not sell) included.
    let orders: [OrderPlan]
    /// Everything after opening, in time order.
    let events: [TimedEvent]
    /// The accounts whose shared field both sides change at once.
    let conflictAccount: SiteAccountID?
    /// New customers who sign up during the day and order a second later.
    let firstOrders: [FirstOrder]
    /// The order entered in the ERP for a web customer.
    let erpEnteredOrder: ERPEnteredOrder?
    /// The SKU of the order the bus must hold.
    let staleSKU: SKU
    /// The card number the badly configured payment module sends (a well-known test number).
    static let leakedCardNumber = "4111111111111111"

    /// The day for `seed` with about `orderCount` orders, its keys and ids tagged with `run`.
    init(seed: UInt64, orderCount: Int, run: RunTag) throws {
        self.seed = seed
        self.run = run
        staleSKU = SKU(run.tagged("POSTER-A2-OLD"))
        clock = try DayClock()
        var random = SeededRandom(seed: seed)
        let stockScale = max(1, (orderCount + 199) / 200)
        catalogue = try DemoCatalogue(clock: clock, random: &random, stockScale: stockScale, run: run)
        customers = try DemoCustomers(clock: clock, random: &random, run: run, privateSignUps: min(60, max(12, orderCount / 6)))

        var events: [TimedEvent] = []
        // Stock: two receipts in the morning and afternoon, two count corrections.
        let sold = catalogue.items.filter(\.sold)
        var counted: [SKU: Int] = [:]
        for (index, item) in sold.enumerated() where index % 5 == 1 {
            events.append(TimedEvent(at: try clock.at(hour: index % 2 == 0 ? 11 : 15), event: .stockReceipt(item.sku, DemoValues.warehouses[0], units: 24)))
        }
        for (index, item) in sold.enumerated() where index % 7 == 3 {
            let delta = index % 2 == 0 ? 3 : -1
            counted[item.sku] = max(0, -delta)
            events.append(TimedEvent(at: try clock.at(hour: 13, minute: 30), event: .stockCount(item.sku, DemoValues.warehouses[0], delta: delta)))
        }
        events.append(TimedEvent(at: try clock.at(hour: 12), event: .articleObsolete))

        var planner = OrderPlanner(clock: clock, catalogue: catalogue, customers: customers, reserved: counted, run: run, staleSKU: staleSKU)
        var orders = try planner.plan(count: orderCount, random: &random)
        // The stale page: a private customer orders a poster the catalogue no longer sells.
        if let buyer = customers.signUps.first(where: { !$0.isBusiness }), let line = orders.first?.lines.first {
            orders.append(OrderPlan(
                number: OrderNumber(run.tagged("WEB-\(100_001 + orders.count)")), placedAt: try clock.at(hour: 13, minute: 5),
                buyer: .account(buyer.account.siteAccountID, business: false), lines: [PlannedLine(sku: line.sku, quantity: 1, discountPercent: nil)],
                delivery: .home, voucherCents: nil, payment: .card(.visa), fate: .completed, splitShipment: false, paidAt: nil, staleSKU: staleSKU))
        }
        for (index, order) in orders.enumerated() {
            events.append(TimedEvent(at: order.placedAt, event: .placeOrder(index)))
            if let paidAt = order.paidAt { events.append(TimedEvent(at: paidAt, event: .bankTransferArrives(index))) }
        }

        // Customers: profile edits both ways, and the conflicting one.
        let created = customers.signUps.filter { $0.expected == .createdInERP }
        let edited = Array(customers.signUps.filter { !$0.isBusiness }.suffix(3))
        for (index, signUp) in edited.enumerated() {
            events.append(TimedEvent(at: try clock.at(hour: 10 + 3 * index, minute: 10),
                                     event: .phoneChangedOnSite(signUp.account.siteAccountID, phone: "+3361999\(String(format: "%04d", 100 + index))")))
        }
        if let company = customers.erpAccounts.first(where: { $0.kind == .b2b }) {
            events.append(TimedEvent(at: try clock.at(hour: 16), event: .termsChangedInERP(company.accountCode, terms: "NET60")))
        }
        conflictAccount = created.first?.account.siteAccountID
        if let conflict = conflictAccount {
            events.append(TimedEvent(at: try clock.at(hour: 15, minute: 30), event: .conflictingEdit(conflict, sitePhone: "+33611223344", erpPhone: "+33655667788")))
        }

        // New customers ordering a second after they sign up: they sign up then, not at opening.
        firstOrders = try FirstOrder.choose(2, customers: customers, orders: orders,
                                            excluded: Set(edited.map(\.account.siteAccountID) + [conflictAccount].compactMap { $0 }), clock: clock)
        for first in firstOrders { events.append(TimedEvent(at: first.signedUpAt, event: .signUp(first.account))) }
        // Sales administration enters an order in the ERP for a web customer.
        erpEnteredOrder = try ERPEnteredOrder.choose(customers: customers, sku: sold.first?.sku, clock: clock, run: run)
        for (index, step) in (erpEnteredOrder?.steps ?? []).enumerated() { events.append(TimedEvent(at: step.at, event: .erpEnteredOrderStep(index))) }

        // Bad inputs.
        if let paid = orders.first(where: { if case .card = $0.payment { return $0.isValid } else { return false } }) {
            events.append(TimedEvent(at: try clock.adding(20 * 60, to: paid.placedAt), event: .cardNumberInPayment(paid.number)))
        }
        events.append(TimedEvent(at: try clock.at(hour: 12, minute: 30), event: .malformedOrder(OrderNumber(run.tagged("WEB-199999")))))

        self.orders = orders
        self.events = events.sorted { $0.at < $1.at }
    }

    /// Accounts the site lets order (the day's sign-ups), by id.
    func signUp(_ id: SiteAccountID) -> SignUp? {
        customers.signUps.first { $0.account.siteAccountID == id }
    }
}
