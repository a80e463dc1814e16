import BusSchema

/// Store credit partly spent (#17): the customer whose return was credited as store credit
/// gets its code by notification (`store_credit_issued`), then pays part of a later order
/// with it; payment-letterer takes the spend from the code's balance, which keeps the rest.
extension SiteSimulator {
    /// Places the order now, or, paid with store credit whose code the customer does not have
    /// yet, once the code arrives.
    func placeOrWait(_ index: Int) throws {
        let plan = day.orders[index]
        guard case .storeCreditThenCard(let origin, _) = plan.payment else { return try place(plan) }
        guard let credit = storeCredits[origin] else { return waitingForCredit.append(index) }
        try place(spending(plan, credit.balance, notifiedAt: credit.at))
    }

    /// Keeps the code of a store credit the customer was told of, and places the orders that
    /// waited for it.
    func received(_ notification: CustomerNotification) throws {
        guard notification.template == "store_credit_issued", storeCredits[notification.orderNumber] == nil,
              let code = notification.parameters["code"], let amount = notification.parameters["amount"].flatMap(ExactDecimal.init),
              let balance = try? Money(amount, DemoValues.currency, rounding: .down) else { return }
        storeCredits[notification.orderNumber] = (CreditCode(code), balance, notification.createdAt)
        for index in waitingForCredit {
            guard case .storeCreditThenCard(notification.orderNumber, _) = day.orders[index].payment else { continue }
            waitingForCredit.removeAll { $0 == index }
            try place(spending(day.orders[index], balance, notifiedAt: notification.createdAt))
        }
    }

    /// The code an order's store credit payment spends.
    func storeCreditCode(spentBy number: OrderNumber) -> String? {
        guard case .storeCreditThenCard(let origin, _)? = orders[number]?.plan.payment else { return nil }
        return storeCredits[origin]?.code.rawValue
    }

    /// `plan` as placed: an hour after the customer had the code (if later than planned), half
    /// the balance spent (rounded down to the cent), a card for the rest.
    private func spending(_ plan: OrderPlan, _ balance: Money, notifiedAt: Instant) throws -> OrderPlan {
        guard case .storeCreditThenCard(let origin, _) = plan.payment else { return plan }
        var placed = plan
        placed.placedAt = max(plan.placedAt, try day.clock.adding(3600, to: notifiedAt))
        placed.payment = .storeCreditThenCard(from: origin, spendCents: balance.amount / 2)
        return placed
    }
}
