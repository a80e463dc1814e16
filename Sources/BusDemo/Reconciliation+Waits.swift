import BusSchema

extension Reconciliation {
    /// An order waiting for its payment has a way out with no manual step (#17): one whose
    /// bank transfer never comes is told it awaits payment, then cancelled with
    /// `payment_timeout` once `days_before_cancel` passed, and never reaches the ERP.
    func waits() -> Check {
        var failures: [String] = []
        let received = journal.messages(ERPSalesOrder.self, on: Topics.erpSalesOrders)
        let acceptances = journal.messages(OrderAcceptance.self, on: Topics.shopOrderTracking).map(\.message)
        var timedOut = 0
        for plan in day.orders where plan.fate == .unpaidTimedOut {
            let number = plan.number
            let told = acceptances.filter { $0.orderNumber == number }
            let statuses = told.map(\.status)
            let timeout = told.last?.reasons.contains { $0.code == .paymentTimeout } == true
            if received.contains(where: { $0.message.externalReference == number }) { failures.append("\(number) reached the ERP though never paid") }
            if statuses.first != .awaitingPayment || statuses.last != .cancelled || !timeout {
                failures.append("\(number): told \(statuses.map(\.rawValue).joined(separator: ", ")); awaiting_payment then cancelled for payment_timeout expected")
            } else {
                timedOut += 1
            }
        }
        return Check(name: "waits", summary: "\(Reconciliation.count(timedOut, "unpaid order")) cancelled after days_before_cancel, "
                         + "the site told it awaited payment then why it was cancelled", failures: failures)
    }
}
