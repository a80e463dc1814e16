import BusSchema

/// What the site knows of one order: as placed and as it now stands, its payments, and its
/// page (acceptance, tracking) as the bus last showed it.
struct SiteOrderFile {
    /// A customer request waiting until order-ingest has taken in the ERP status it follows.
    struct Pending {
        enum Request { case cancel, cancelLines([OrderLineQuantity]), returnGoods(RefundMethod), exchangeGoods(for: SKU) }
        let request: Request
        let after: OrderStatus
        let at: Instant
    }

    let plan: OrderPlan
    /// The order as placed, or as the site last sent it again corrected (`SiteOrders+Corrections`).
    var placed: SiteOrder
    var current: SiteOrder
    /// Captures and refunds reported, in order.
    var payments: [SitePayment] = []
    var acceptance: OrderAcceptance?
    var tracking: TrackingStatus?
    var trackingSequence = 0
    /// Its returns as the order page last showed them.
    var returns: [ReturnProgress] = []
    /// The statuses the order page went through.
    var seen: Set<TrackingStatus> = []
    var pending: Pending?
    /// Requests sent, by kind: "change", "cancel", "return", "refund".
    var sent: Set<String> = []

    /// Captured less refunded, per method.
    func net(_ method: PaymentMethod) -> Int64 {
        payments.filter { $0.method == method }.reduce(0) { $0 + ($1.kind == .capture ? $1.amount.amount : -$1.amount.amount) }
    }
}

extension SiteSimulator {
    /// Places an order priced from the catalogue the site shows, and captures what is paid
    /// at checkout.
    func place(_ plan: OrderPlan) throws {
        guard let order = try checkout(plan) else { return }
        let id = publisher.publish(order, topic: Topics.shopOrders, key: plan.number.rawValue, source: Self.checkoutSource, time: plan.placedAt,
                                   name: "site/order/\(plan.number)")
        // The stale line the site corrects itself is not one of the day's bad inputs.
        if plan.staleSKU != nil, plan.accountCase != .correctedResend {
            badInputs.append(BadInput(kind: .unknownSKU, topic: Topics.shopOrders, key: plan.number.rawValue, eventID: id))
        }
        orders[plan.number] = SiteOrderFile(plan: plan, placed: order, current: order)
        let captured = try day.clock.adding(15, to: plan.placedAt)
        for summary in order.payments where summary.method != .bankTransfer {
            pay(plan.number, .capture, summary.method, summary.amount, at: captured)
        }
        // A gift card redeemed as a voucher is a payment too: the provider captures it.
        for voucher in order.vouchers where voucher.isPayment {
            pay(plan.number, .capture, .giftCard, voucher.amountInclTax, at: captured)
        }
    }

    /// The order the site's checkout makes of `plan` for its customer, priced from the
    /// catalogue it shows; nil (a problem noted) when it cannot.
    func checkout(_ plan: OrderPlan) throws -> SiteOrder? {
        let customer: OrderCustomer, language: LanguageCode, billing: PostalAddress, delivery: PostalAddress
        switch plan.buyer {
        case .account(let id, _):
            guard let account = accounts[id] else {
                problems.append("order \(plan.number) could not be placed: no site account \(id)")
                return nil
            }
            customer = OrderCustomer(siteAccountID: id, email: account.email, firstName: account.firstName, lastName: account.lastName,
                                     companyName: account.companyName, vatNumber: account.vatNumber)
            language = try DemoValues.language(account.language.language)
            let book = account.addresses
            guard let first = book.first else {
                problems.append("order \(plan.number) could not be placed: site account \(id) has no address")
                return nil
            }
            billing = (book.first(where: \.isDefaultBilling) ?? first).address
            delivery = (book.first(where: \.isDefaultShipping) ?? first).address
        case .guest(let number):
            let names = ["Alice Garnier", "Bruno Faure", "Claire Roux", "David Blanc", "Emma Henry"]
            let name = names[number % names.count]
            let parts = name.split(separator: " ").map(String.init)
            customer = OrderCustomer(email: "guest\(number)@example.org", firstName: parts[0], lastName: parts.count > 1 ? parts[1] : parts[0])
            language = try DemoValues.language("fr")
            billing = PostalAddress(recipientName: name, lines: ["\(number % 90 + 1) boulevard Voltaire"], postalCode: "75011", city: "Paris",
                                    country: try DemoValues.country("FR"))
            delivery = billing
        }
        do {
            return try SiteCheckout.order(plan, customer: customer, language: language, billing: billing, delivery: delivery, prices: price(of:))
        } catch {
            problems.append("order \(plan.number) could not be placed: \(error)")
            return nil
        }
    }

    /// The bank transfer arrived: the whole amount is captured.
    func captureBankTransfer(_ plan: OrderPlan, at time: Instant) throws {
        guard let file = orders[plan.number] else { return }
        pay(plan.number, .capture, .bankTransfer, file.placed.totals.totalInclTax, at: time)
    }

    /// The payment provider refunded a credit note the ERP issued.
    func refund(_ order: OrderNumber, amount: Money, at time: Instant) {
        guard let file = orders[order] else { return }
        let method = [PaymentMethod.card, .paypal, .bankTransfer, .giftCard].max { file.net($0) < file.net($1) } ?? .card
        pay(order, .refund, method, amount, at: time)
    }

    /// Follows an order's page and acts as the plan says when it reaches a status.
    func follow(_ update: TrackingUpdate) throws {
        let number = update.orderNumber
        guard var file = orders[number], update.sequence >= file.trackingSequence else { return }
        file.trackingSequence = update.sequence
        file.tracking = update.status
        if let returns = update.returns { file.returns = returns }
        let first = file.seen.insert(update.status).inserted
        orders[number] = file
        guard first else { return }
        let clock = day.clock
        switch (update.status, file.plan.fate) {
        case (.confirmed, .changedBeforePreparation):
            try lower(number, at: try clock.adding(600, to: update.updatedAt))
        case (.confirmed, .cancelledBeforePreparation):
            try cancel(number, at: try clock.adding(900, to: update.updatedAt))
        case (.inPreparation, .cancelledInPreparation):
            orders[number]?.pending = .init(request: .cancel, after: .inPreparation, at: try clock.adding(600, to: update.updatedAt))
        case (.confirmed, .partlyCancelled):
            try cancelLines(number, lastLine(of: number), at: try clock.adding(900, to: update.updatedAt))
        case (.confirmed, .partlyCancelledThenChanged):
            try cancelLines(number, lastLine(of: number), at: try clock.adding(600, to: update.updatedAt))
            // Refunded with the cancelled line, on the bus's proposal: one amount, whichever of
            // the site's refund and the ERP's invoice payment-letterer would read first.
            try lower(number, at: try clock.adding(1200, to: update.updatedAt), refunding: false)
        case (.partiallyShipped, .restCancelledAfterPartialShipment):
            // Read before the assignment: its optional chain holds `orders` while the right side runs.
            let rest = unshipped(update)
            orders[number]?.pending = .init(request: .cancelLines(rest), after: .partiallyShipped, at: try clock.adding(600, to: update.updatedAt))
        case (.shipped, .cancelledAfterShipment):
            orders[number]?.pending = .init(request: .cancel, after: .shipped, at: try clock.adding(3600, to: update.updatedAt))
        case (.delivered, .exchanged(let sku)):
            orders[number]?.pending = .init(request: .exchangeGoods(for: sku), after: .delivered, at: try clock.adding(2 * 86_400, to: update.updatedAt))
        case (.delivered, .returned(let method)):
            orders[number]?.pending = .init(request: .returnGoods(method), after: .delivered, at: try clock.adding(2 * 86_400, to: update.updatedAt))
        case (.cancelled, _):
            // Cancelled: everything paid goes back where it came from.
            let at = try clock.adding(600, to: update.updatedAt)
            for method in PaymentMethod.allCases where file.net(method) > 0 {
                pay(number, .refund, method, DemoValues.euros(file.net(method)), at: at)
            }
            orders[number]?.sent.insert("refund")
        default:
            break
        }
    }

    /// Sends the requests whose ERP status order-ingest has now taken in.
    func advance() throws {
        for number in orders.keys.sorted() {
            guard let pending = orders[number]?.pending, orderIngestHasSeen(number, pending.after) else { continue }
            orders[number]?.pending = nil
            switch pending.request {
            case .cancel: try cancel(number, at: pending.at)
            case .cancelLines(let lines): try cancelLines(number, lines, at: pending.at)
            case .returnGoods(let method): try returnGoods(number, method, at: pending.at)
            case .exchangeGoods(let sku): try exchangeGoods(number, for: sku, at: pending.at)
            }
        }
    }

    /// Whether nothing is left to do: every order has its answer and reached where its plan ends.
    var isSettled: Bool { unsettled.isEmpty }

    /// The orders that have not reached where their plan ends, in number order.
    var unsettled: [OrderNumber] {
        (orders.filter { !Self.isSettled($0.value) }.keys + waitingForCredit.map { day.orders[$0].number }).sorted()
    }

    private static func isSettled(_ file: SiteOrderFile) -> Bool {
        guard file.pending == nil else { return false }
        // A blocked account's order ends when the operator's cancellation reaches the site.
        if file.plan.accountCase == .blockedAccount { return file.acceptance?.status == .cancelled }
        if file.plan.fate == .unpaidTimedOut { return file.acceptance?.status == .cancelled }
        guard file.plan.isValid else { return file.acceptance != nil }
        switch file.plan.fate {
        case .cancelledBeforePreparation: return file.sent.contains("refund")
        case .returned: return file.sent.contains("return")
        case .exchanged: return file.sent.contains("return") && file.returns.contains { $0.status == .accepted }
        case .cancelledAfterShipment: return file.sent.contains("cancel") && file.seen.contains(.delivered)
        case .restCancelledAfterPartialShipment:
            // Shipped at once when the ERP could not split it: nothing was left to cancel.
            return file.seen.contains(.delivered) && (!file.seen.contains(.partiallyShipped) || file.sent.contains("cancel"))
        default: return file.seen.contains(.delivered)
        }
    }

    // MARK: Requests

    private func lower(_ number: OrderNumber, at time: Instant, refunding: Bool = true) throws {
        guard var file = orders[number] else { return }
        guard let (changes, lowered) = try SiteCheckout.lowered(file.current, prices: price(of:)) else {
            problems.append("\(number): the site found nothing to lower for the planned change")
            return
        }
        let change = OrderChange(changeID: EventID("chg-\(number.serial)-1"), orderNumber: number, changedAt: time,
                                 lineChanges: changes, totals: lowered.totals)
        publisher.publish(change, topic: Topics.shopOrders, key: number.rawValue, source: Self.checkoutSource, time: time, name: "site/change/\(number)")
        let difference = try file.current.totals.totalInclTax.subtracting(lowered.totals.totalInclTax)
        file.current = lowered
        file.sent.insert("change")
        orders[number] = file
        if refunding, difference.amount > 0 {
            let method = file.net(.paypal) > 0 ? PaymentMethod.paypal : .card
            pay(number, .refund, method, difference, at: try day.clock.adding(60, to: time))
        }
    }

    private func cancel(_ number: OrderNumber, at time: Instant) throws {
        let request = CancellationRequest(requestID: EventID("cxl-\(number.serial)-1"), orderNumber: number, requestedAt: time,
                                          requestedBy: .customer, reason: .customerRequest, lines: [])
        publisher.publish(request, topic: Topics.shopOrders, key: number.rawValue, source: Self.checkoutSource, time: time, name: "site/cancel/\(number)")
        orders[number]?.sent.insert("cancel")
    }

    private func returnGoods(_ number: OrderNumber, _ method: RefundMethod, at time: Instant) throws {
        guard let line = orders[number]?.current.lines.first else { return }
        let request = ReturnRequest(
            returnNumber: ReturnNumber("RMA-\(number.serial)-1"), orderNumber: number, requestedAt: time,
            lines: [ReturnLine(lineNumber: line.lineNumber, sku: line.sku, quantity: DemoValues.quantity(1), reason: .noLongerNeeded)],
            refundMethod: method)
        publisher.publish(request, topic: Topics.shopOrders, key: number.rawValue, source: Self.checkoutSource, time: time, name: "site/return/\(number)")
        orders[number]?.sent.insert("return")
    }

    /// Reports a capture or refund made by the payment provider.
    func pay(_ number: OrderNumber, _ kind: PaymentKind, _ method: PaymentMethod, _ amount: Money, at time: Instant) {
        guard orders[number] != nil else { return }
        let digits = number.serial
        let sequence = (orders[number]?.payments.count ?? 0) + 1
        let (provider, reference): (Code, String) = switch (method, kind) {
        case (.card, .capture): ("stripe", "pi_\(digits)_\(sequence)")
        case (.card, .refund): ("stripe", "re_\(digits)_\(sequence)")
        case (.paypal, _): ("paypal", "PAYID-\(digits)-\(sequence)")
        case (.giftCard, _): ("giftcard", kind == .capture ? "GC-\(digits)" : "GCR-\(digits)-\(sequence)")
        case (.bankTransfer, _): ("bank", "VIR-\(digits)-\(sequence)")
        case (.creditNote, .capture): ("storecredit", storeCreditCode(spentBy: number) ?? "SC-UNKNOWN")
        default: ("web", "PAY-\(digits)-\(sequence)")
        }
        let payment = SitePayment(paymentID: PaymentID("pay-\(digits)-\(sequence)"), orderNumber: number, kind: kind, method: method, amount: amount,
                                  provider: provider, providerReference: reference, cardBrand: method == .card ? brand(of: number) : nil, occurredAt: time)
        publisher.publish(payment, topic: Topics.shopPayments, key: number.rawValue, source: Self.paymentsSource, time: time,
                          name: "site/payment/\(number)/\(sequence)")
        orders[number]?.payments.append(payment)
    }

    private func brand(of number: OrderNumber) -> CardBrand {
        if case .card(let brand)? = orders[number]?.plan.payment { return brand }
        return .visa
    }
}
