import BusSchema

/// A corrected re-send (#17): the site sent an order with a line its page should no longer
/// have sold (`AccountCase.correctedResend`); told it is held `unknown_sku`, it sends the
/// same order number again without that line, its card payment restated, and refunds the
/// line. The re-send supersedes the held version: the ERP gets the corrected order, once.
extension SiteSimulator {
    /// Sends the corrected order once, when the bus says the order is held for the stale line.
    func correctIfHeld(_ acceptance: OrderAcceptance) throws {
        guard let file = orders[acceptance.orderNumber], file.plan.accountCase == .correctedResend, !file.sent.contains("correction"),
              acceptance.status == .held, acceptance.reasons.contains(where: { $0.code == .unknownSku })
        else { return }
        let plan = file.plan
        let fixed = OrderPlan(number: plan.number, placedAt: plan.placedAt, buyer: plan.buyer, lines: plan.lines, delivery: plan.delivery,
                              voucherCents: plan.voucherCents, payment: plan.payment, fate: plan.fate, splitShipment: plan.splitShipment,
                              paidAt: plan.paidAt, staleSKU: nil, accountCase: plan.accountCase)
        orders[plan.number]?.sent.insert("correction")
        guard let corrected = try checkout(fixed) else { return }
        let at = try day.clock.adding(600, to: max(acceptance.decidedAt, plan.placedAt))
        publisher.publish(corrected, topic: Topics.shopOrders, key: plan.number.rawValue, source: Self.checkoutSource, time: at,
                          name: "site/order/\(plan.number)")
        orders[plan.number]?.placed = corrected
        orders[plan.number]?.current = corrected
        let difference = try file.placed.totals.totalInclTax.subtracting(corrected.totals.totalInclTax)
        if difference.amount > 0 { pay(plan.number, .refund, .card, difference, at: try day.clock.adding(60, to: at)) }
    }
}
