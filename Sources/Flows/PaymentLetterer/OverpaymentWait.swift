import BusSchema

/// Overpayments that wait. Kafka keeps no order across topics, and a replay after a kill (or
/// a worker catching up after an outage) reads `shop.payments` and `erp.invoices` in any
/// order: an invoice for a lowered order read before the site's refund of the difference,
/// though the refund came first, makes the account look overpaid until the refund is read.
/// So an account found overpaid is not reported at once: it is overpaid *since* the
/// partition's clock at that moment, and after `overpayment_wait_minutes` of that clock
/// (through the flow's timer, `wakeTime`/`wake`) the overpayment is reported if the account
/// still is overpaid. A refund, a revision or an invoice that clears the excess within the
/// wait ends it, and nothing is raised.
///
/// Replay-stable: the exception and the refund proposal take their ids and contents from the
/// account's facts (the excess, the totals, the latest date counted), never from the input
/// or the timer that let them go, so every order of arrival within the wait sends the same.
extension OrderAccount {
    /// Whether an overpayment found at `now` is reported now: at once when the rules ask for
    /// no wait, else once the account has been overpaid for `minutes`. The first time it looks
    /// overpaid starts the wait.
    mutating func overpaymentWaitRanOut(at now: Instant, minutes: Int) -> Bool {
        guard minutes > 0 else { return true }
        guard let overpaidSince else {
            overpaidSince = now
            return false
        }
        return overpaidSince.adding(seconds: Int64(minutes) * 60) <= now
    }

    /// Ends the wait: the account is not (or no longer newly) overpaid. Returns no case.
    mutating func notOverpaid() -> LettererCase? {
        overpaidSince = nil
        return nil
    }

    /// When an overpayment waiting is judged; nil when none waits.
    public func overpaymentDeadline(minutes: Int) -> Instant? {
        overpaidSince?.adding(seconds: Int64(minutes) * 60)
    }
}

extension PaymentLetterer {
    /// Judges the overpayment of the timer's account when its wait ran out: the account is
    /// settled again at the timer's moment, which reports it if it is still overpaid.
    func judgeOverpayment(_ timer: FlowTimer, state: inout FlowState<LettererState>) throws -> [FlowOutput] {
        let order = OrderNumber(timer.key)
        guard var account = state[account: order], let deadline = account.overpaymentDeadline(minutes: rules.overpaymentWaitMinutes),
              deadline <= timer.due else { return [] }
        let settlement = try account.settle(order: order, rules: rules, secret: creditCodeSecret, at: timer.due)
        state[account: order] = account
        return outputs(settlement, order: order, cause: timer.envelope(worker: name))
    }
}
