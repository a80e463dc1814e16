import BusSchema

extension Reconciliation {
    /// Each customer was told once of each step their order took (status-notifier's default
    /// templates: confirmed, partly shipped, shipped, delivered, cancelled), in their language.
    func notifications() -> Check {
        var failures: [String] = []
        var sent: [OrderNumber: [CustomerNotification]] = [:]
        // Deduplicated by `ce_id`, as the mailer does: a worker killed before it committed sends
        // its notifications again under the same ids, harmlessly; the same notification under
        // two ids is still told twice.
        var seen: Set<String> = []
        for (record, notification) in journal.messages(CustomerNotification.self, on: Topics.shopNotifications) {
            if let id = record.id, !seen.insert(id).inserted { continue }
            sent[notification.orderNumber, default: []].append(notification)
        }
        // Money back is told too: a refund per credit note refunded to the payment, a code per store credit.
        var moneyBack: [OrderNumber: [String]] = [:]
        for (_, note) in journal.messages(ERPCreditNote.self, on: Topics.erpInvoices) where note.totalInclTax.amount > 0 {
            moneyBack[note.orderNumber, default: []].append(note.refundMethod == .originalPayment ? "order_refunded" : "store_credit_issued")
        }
        var total = 0
        for plan in day.orders where plan.isValid {
            guard let order = outcome.erp.desk.orders[plan.number], let file = outcome.site.orders[plan.number] else { continue }
            var expected = ["order_confirmed"]
            if order.stage == .cancelled {
                expected.append("order_cancelled")
            } else {
                // The rest cancelled after a first parcel: told it was partly shipped, then shipped.
                if order.shipments.count > 1 || (order.plan?.fate == .restCancelledAfterPartialShipment && !order.cancelledLines.isEmpty) {
                    expected.append("order_partially_shipped")
                }
                expected += ["order_shipped", "order_delivered"]
            }
            expected += moneyBack[plan.number] ?? []
            let notifications = sent[plan.number] ?? []
            let templates = notifications.map(\.template.rawValue)
            if templates.sorted() != expected.sorted() {
                failures.append("\(plan.number): told \(templates.joined(separator: ", ")); expected \(expected.joined(separator: ", "))")
            }
            if Set(notifications.map(\.notificationID)).count != notifications.count { failures.append("\(plan.number): a notification was sent twice") }
            let language = file.placed.customer.siteAccountID.flatMap { outcome.site.accounts[$0]?.language } ?? file.placed.language
            if let other = notifications.first(where: { $0.language != language }) {
                failures.append("\(plan.number): \(other.template) written in \(other.language), the customer reads \(language)")
            }
            total += notifications.count
        }
        return Check(name: "notifications", summary: "\(total) sent: each customer told once of each step of their order, in their language", failures: failures)
    }
}
