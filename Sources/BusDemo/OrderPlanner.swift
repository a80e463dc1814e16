import BusSchema

/// Draws the day's orders from the seed: carts over the stocked SKUs (never more than the
/// opening stock), every kind of customer, delivery, discount and payment, and every fate.
/// The first orders cover each case once, so even a short run shows all of them.
struct OrderPlanner {
    let clock: DayClock
    let catalogue: DemoCatalogue
    let customers: DemoCustomers
    let run: RunTag
    /// The line of a stale page, for the corrected re-send.
    let staleSKU: SKU
    private var remaining: [SKU: Int] = [:]

    init(clock: DayClock, catalogue: DemoCatalogue, customers: DemoCustomers, reserved: [SKU: Int], run: RunTag, staleSKU: SKU) {
        self.run = run
        self.staleSKU = staleSKU
        self.clock = clock
        self.catalogue = catalogue
        self.customers = customers
        for item in catalogue.items where item.sold {
            remaining[item.sku] = item.openingStock.values.reduce(0, +) - (reserved[item.sku] ?? 0)
        }
    }

    /// A case the first orders are made to show.
    private enum Showcase: CaseIterable {
        case guest, priceList, bankTransfer, relay, giftCard, voucher, change, cancelBefore, cancelInPreparation,
             cancelAfterShipment, returnRefunded, returnStoreCredit, split, express,
             // 10 or more units of a .99 price with shipping (held for rounding before the
             // site's total prevailed); a cart at 20, 10 and 5.5 % with shipping, a discount
             // voucher and a gift card.
             bulk, mixedRates,
             // Partial cancellations (#17): the last line before preparation (an overpayment,
             // refunded on the bus's proposal), the same then a change, the rest never shipped.
             partialCancel, partialCancelThenChange, restCancelled,
             // A bank transfer that never comes.
             unpaid,
             // The store credit of the return showcase, partly spent by the same customer.
             storeCreditSpend,
             // B2B on account and held orders with a way out (`AccountCase`).
             onAccount, overCreditLimit, blockedAccount, correctedResend,
             // A return asking for an exchange.
             returnExchange
    }

    /// Each account case's showcase.
    private static let accountCases: [Showcase: AccountCase] = [
        .onAccount: .onAccount, .overCreditLimit: .overCreditLimit, .blockedAccount: .blockedAccount, .correctedResend: .correctedResend,
    ]

    /// The showcases of partial cancellations: three lines, paid by card, no voucher.
    private static let partialCancellations: Set<Showcase> = [.partialCancel, .partialCancelThenChange, .restCancelled]

    /// `count` orders placed from 08:05 to 19:30, in time order.
    mutating func plan(count: Int, random: inout SeededRandom) throws -> [OrderPlan] {
        let start = 8 * 3600 + 300, span = 11 * 3600 + 25 * 60
        var plans: [OrderPlan] = []
        for index in 0..<count {
            let showcase = index < Showcase.allCases.count ? Showcase.allCases[index] : nil
            let slot = span / max(count, 1)
            let placedAt = try clock.at(seconds: start + index * slot + random.int(in: 0...max(slot - 1, 0)))
            guard var plan = try order(number: OrderNumber(run.tagged("WEB-\(100_001 + index)")), at: placedAt, showcase: showcase, random: &random) else { break }
            if showcase == .storeCreditSpend, let origin = plans.first(where: { $0.fate == .returned(.storeCredit) }) {
                plan = Self.spending(plan, creditOf: origin)
            }
            plans.append(plan)
        }
        return plans
    }

    /// `plan` bought by the customer of `origin` and paid partly with its store credit.
    private static func spending(_ plan: OrderPlan, creditOf origin: OrderPlan) -> OrderPlan {
        OrderPlan(number: plan.number, placedAt: plan.placedAt, buyer: origin.buyer, lines: plan.lines, delivery: plan.delivery, voucherCents: nil,
                  payment: .storeCreditThenCard(from: origin.number, spendCents: 0), fate: .completed, splitShipment: plan.splitShipment,
                  paidAt: nil, staleSKU: nil)
    }

    private var privateAccounts: [SignUp] { customers.signUps.filter { !$0.isBusiness } }
    /// Company contacts who order at random: not those whose account holds every order.
    private var businessAccounts: [SignUp] { customers.signUps.filter { $0.isBusiness && !customers.ordersOnlyItsCase($0.account.siteAccountID) } }

    /// The contact ordering on account: of a company whose terms stay `NET30` all day (the
    /// first company's change to `NET60` is another case).
    private var onAccountBuyer: SignUp? {
        let changing = customers.erpAccounts.first { $0.kind == .b2b }?.accountCode
        return businessAccounts.first { if case .matched(let code, _) = $0.expected { code != changing } else { false } }
    }

    private mutating func order(number: OrderNumber, at placedAt: Instant, showcase: Showcase?, random: inout SeededRandom) throws -> OrderPlan? {
        for attempt in 0..<6 {
            var draw = random
            _ = random.next()
            guard let plan = try draft(number: number, at: placedAt, showcase: showcase, simple: attempt == 5, random: &draw) else { return nil }
            // No steering away from any cart for rounding: the site's total prevails, always.
            guard try isPossible(plan) else { continue }
            for line in plan.lines { remaining[line.sku, default: 0] -= line.quantity }
            if case .exchanged(let sku) = plan.fate { remaining[sku, default: 0] -= 1 }
            return plan
        }
        return nil
    }

    private func draft(number: OrderNumber, at placedAt: Instant, showcase: Showcase?, simple: Bool, random: inout SeededRandom) throws -> OrderPlan? {
        // Who.
        var buyer: Buyer
        if showcase == .guest || (showcase == nil && random.chance(15)) {
            buyer = .guest(number: random.int(in: 1...9999))
        } else if showcase == .priceList || (showcase == nil && random.chance(18)), let who = random.pick(businessAccounts) {
            buyer = .account(who.account.siteAccountID, business: true)
        } else if let who = random.pick(privateAccounts) {
            buyer = .account(who.account.siteAccountID, business: false)
        } else {
            buyer = .guest(number: random.int(in: 1...9999))
        }
        let accountCase = showcase.flatMap { Self.accountCases[$0] }
        switch accountCase {
        case .onAccount?: if let who = onAccountBuyer { buyer = .account(who.account.siteAccountID, business: true) }
        case .overCreditLimit?: buyer = .account(customers.overLimitBuyer, business: true)
        case .blockedAccount?: buyer = .account(customers.blockedBuyer, business: true)
        case .correctedResend?, nil: break
        }
        let business: Bool = { if case .account(_, true) = buyer { return true } else { return false } }()

        // What.
        var lines: [PlannedLine] = []
        let wanted = simple ? 1 : (showcase == .split || showcase == .change || showcase == .mixedRates || showcase.map(Self.partialCancellations.contains) == true ? 3 : [1, 1, 2, 2, 3, 4][random.int(in: 0...5)])
        let rates = catalogue.items.map(\.vatRate).reduce(into: [Rate]()) { if !$0.contains($1) { $0.append($1) } }.sorted(by: >)
        for position in 0..<wanted {
            let candidates = catalogue.items.filter { item in
                item.sold && (remaining[item.sku] ?? 0) >= 1 && !lines.contains { $0.sku == item.sku }
                    && (showcase != .mixedRates || item.vatRate == rates[position % rates.count])
                    && (showcase != .bulk || item.unitInclTax.amount % 100 == 99)
            }
            guard var item = random.pick(candidates) else { break }
            var quantity = simple ? 1 : [1, 1, 1, 2, 2, 3][random.int(in: 0...5)]
            // Carts of ten units or more of one price, an everyday order.
            if !simple, showcase == .bulk || (showcase == nil && random.chance(5)) { quantity = 10 + random.int(in: 0...4) }
            let wantsPriceList = business && (showcase == .priceList ? position == 0 : random.chance(40))
            if wantsPriceList, let priced = random.pick(candidates.filter { $0.priceList != nil }), let row = priced.priceList {
                item = priced
                quantity = row.minimum + random.int(in: 0...2)
            }
            // Over the credit limit whatever the cart: five units of the cheapest article are.
            if accountCase == .overCreditLimit { quantity = max(quantity, 5) }
            quantity = min(quantity, remaining[item.sku] ?? 0)
            guard quantity > 0 else { continue }
            let discount = !simple && random.chance(15) ? [10, 20][random.int(in: 0...1)] : nil
            lines.append(PlannedLine(sku: item.sku, quantity: quantity, discountPercent: discount))
        }
        guard !lines.isEmpty else { return nil }
        let goods = try lines.reduce(Int64(0)) { sum, line in
            let item = try required(catalogue.item(line.sku), "item")
            return sum + item.unitInclTax.amount * Int64(line.quantity)
        }

        // How it is delivered and paid.
        // The rest cancelled after a first parcel: paid shipping, so the last invoice has something to bill.
        let delivery: DeliveryChoice = showcase == .bulk || showcase == .mixedRates || showcase == .restCancelled ? .express
            : showcase == .relay || (showcase == nil && random.chance(25)) ? .relay(point: random.int(in: 0...2))
            : showcase == .express || (showcase == nil && random.chance(10)) ? .express : .home
        let voucher: Int64? = accountCase == nil && showcase != .returnExchange && showcase.map(Self.partialCancellations.contains) != true && (showcase == .voucher || showcase == .mixedRates || (showcase == nil && random.chance(12))) && goods >= 3000 && !simple
            ? (goods >= 6000 ? 1000 : 500) : nil
        var payment: PaymentPlan
        if showcase == .bankTransfer || showcase == .unpaid || (showcase == nil && random.chance(6)) {
            payment = .bankTransfer
        } else if showcase == .mixedRates, goods > 3000 {
            payment = .giftCardVoucherThenCard(giftCents: 2000)
        } else if showcase == .giftCard || (showcase == nil && random.chance(8)), goods > 3000 {
            payment = .giftCardThenCard(giftCents: 2000)
        } else if showcase == nil && random.chance(12) {
            payment = .paypal
        } else {
            payment = .card([CardBrand.visa, .mastercard, .cb][random.int(in: 0...2)])
        }
        if showcase == .change || showcase.map(Self.partialCancellations.contains) == true || accountCase == .correctedResend { payment = .card(.visa) }
        // On account: by bank transfer, the method the account's invoice is paid with.
        if accountCase == .onAccount || accountCase == .overCreditLimit || accountCase == .blockedAccount { payment = .bankTransfer }

        // What becomes of it.
        var fate = OrderFate.completed
        let roll = random.int(in: 0...99)
        switch showcase {
        case .change?: fate = .changedBeforePreparation
        case .cancelBefore?: fate = .cancelledBeforePreparation
        case .cancelInPreparation?: fate = .cancelledInPreparation
        case .cancelAfterShipment?: fate = .cancelledAfterShipment
        case .returnRefunded?: fate = .returned(.originalPayment)
        case .returnStoreCredit?: fate = .returned(.storeCredit)
        case .partialCancel?: fate = .partlyCancelled
        case .partialCancelThenChange?: fate = .partlyCancelledThenChanged
        case .restCancelled?: fate = .restCancelledAfterPartialShipment
        case .unpaid?: fate = .unpaidTimedOut
        case .returnExchange?:
            // Another article in stock, taken instead of a unit of the first line.
            let others = catalogue.items.filter { item in item.sold && (remaining[item.sku] ?? 0) >= 1 && !lines.contains { $0.sku == item.sku } }
            if let sku = random.pick(others)?.sku { fate = .exchanged(for: sku) }
        case _? where accountCase != nil: fate = .completed
        case nil:
            switch roll {
            case 0..<5: fate = .changedBeforePreparation
            case 5..<9: fate = .cancelledBeforePreparation
            case 9..<11: fate = .cancelledInPreparation
            case 11..<13: fate = .cancelledAfterShipment
            case 13..<16: fate = .returned(.originalPayment)
            case 16..<19: fate = .returned(.storeCredit)
            default: break
            }
        default: break
        }
        // Keep each fate's money simple to follow: a change is refunded to a card or PayPal
        // and needs something to lower; refunds of returns never exceed what was paid.
        let lowerable = lines.count > 1 || lines.contains { $0.quantity > 1 }
        switch fate {
        case .changedBeforePreparation:
            if voucher != nil || !lowerable { fate = .completed }
            if case .card = payment {} else if payment != .paypal { fate = .completed }
        case .cancelledAfterShipment, .returned, .exchanged:
            if voucher != nil { fate = .completed }
        case .partlyCancelled, .restCancelledAfterPartialShipment:
            // A line must be left once the last is cancelled.
            if lines.count < 2 { fate = .completed }
        case .partlyCancelledThenChanged:
            // Two lines left, and something to lower on them.
            if lines.count < 3 { fate = .completed }
        default: break
        }

        let split = showcase == .split || showcase == .restCancelled || (lines.count > 1 && random.chance(20) && fate != .partlyCancelled && fate != .partlyCancelledThenChanged)
        // On account, the invoice is paid later; a blocked account's order never is. The
        // over-limit order's transfer comes hours after its release, which it does not cause.
        let paidAt = payment == .bankTransfer && fate != .unpaidTimedOut && accountCase != .blockedAccount
            ? try clock.adding((accountCase == .overCreditLimit ? 6 * 60 : 90) * 60, to: placedAt) : nil
        // The unpaid order was placed before the payment delay: its deadline passed by the day.
        // Why not a shorter delay: the ERP's statuses are dated up to days ahead of the site's
        // payments (the day plays in a minute), so a day's delay would cancel orders being paid.
        let placedAt = fate == .unpaidTimedOut ? try clock.adding(-(DemoRules.orderIngest.daysBeforeCancel + 1) * 86_400, to: placedAt) : placedAt
        return OrderPlan(number: number, placedAt: placedAt, buyer: buyer, lines: lines, delivery: delivery, voucherCents: voucher,
                         payment: payment, fate: fate, splitShipment: split && lines.count > 1, paidAt: paidAt,
                         staleSKU: accountCase == .correctedResend ? staleSKU : nil, accountCase: accountCase)
    }

    /// Whether the planned change, if any, is possible (something to lower). Rounding is never
    /// a reason to avoid a cart: the bus gives the ERP the site's total whatever the cart.
    private func isPossible(_ plan: OrderPlan) throws -> Bool {
        guard plan.fate == .changedBeforePreparation || plan.fate == .partlyCancelledThenChanged else { return true }
        let address = PostalAddress(recipientName: "Check", lines: ["1 rue"], postalCode: "75001", city: "Paris", country: try DemoValues.country("FR"))
        let order = try SiteCheckout.order(plan, customer: OrderCustomer(email: "check@example.com", firstName: "C", lastName: "K"),
                                           language: try DemoValues.language("fr"), billing: address, delivery: address, prices: price(of:))
        let cancelled = plan.fate == .partlyCancelledThenChanged ? try SiteCheckout.cancellingLast(order) : order
        return try SiteCheckout.lowered(cancelled, prices: price(of:)) != nil
    }

    /// The price the site will show for `sku`, as article-publisher computes it.
    func price(of sku: SKU) -> SitePrice? {
        catalogue.item(sku).map { SitePrice(exclTax: $0.unitExclTax, inclTax: $0.unitInclTax, vatRate: $0.vatRate, priceList: $0.priceList) }
    }
}
