import BusSchema

extension Reconciliation {
    /// The order sales administration entered in the ERP for a web customer (`ERPEnteredOrder`)
    /// appears in that customer's history on the site: its tracking names the customer's site
    /// account and follows the ERP's steps (confirmed, shipped, delivered) with the ERP's
    /// documents, and the customer is told of each step once, in their language.
    func erpEnteredOrders() -> Check {
        guard let order = day.erpEnteredOrder else {
            return Check(name: "erp orders", summary: "no order entered in the ERP today (no web customer matched to an ERP account)", failures: [])
        }
        var failures: [String] = []
        let tracking = journal.messages(TrackingUpdate.self, on: Topics.shopOrderTracking).map(\.message).filter { $0.orderNumber == order.number }
        if let stray = tracking.first(where: { $0.siteAccountID != order.customer }) {
            failures.append("\(order.number): a tracking update (\(stray.status.rawValue)) names \(stray.siteAccountID?.rawValue ?? "no site account"), not the ordering customer")
        }
        let statuses = tracking.sorted { $0.sequence < $1.sequence }.map(\.status.rawValue)
        if distinctInOrder(statuses) != ["confirmed", "shipped", "delivered"] {
            failures.append("\(order.number): the site's history shows \(statuses.joined(separator: ", ")); confirmed, shipped, delivered expected")
        }
        if !tracking.contains(where: { $0.documents?.contains { $0.kind == .acknowledgement } == true }) {
            failures.append("\(order.number): the ERP's acknowledgement is not among the documents the site shows")
        }
        let told = journal.messages(CustomerNotification.self, on: Topics.shopNotifications).map(\.message).filter { $0.orderNumber == order.number }
        let templates = told.map(\.template.rawValue).sorted()
        if templates != ["order_confirmed", "order_delivered", "order_shipped"] {
            failures.append("\(order.number): the customer was told \(templates.joined(separator: ", ")); order_confirmed, order_shipped, order_delivered expected")
        }
        let language = outcome.site.accounts[order.customer]?.language
        if let other = told.first(where: { $0.language != language || $0.siteAccountID != order.customer }) {
            failures.append("\(order.number): \(other.template.rawValue) sent in \(other.language) to \(other.siteAccountID?.rawValue ?? "nobody"), not to the customer in their language")
        }
        return Check(name: "erp orders", summary: "1 order entered in the ERP for a web customer: \(Reconciliation.count(tracking.count, "tracking update")) in their history, "
                         + "\(Reconciliation.count(told.count, "notification")) in their language", failures: failures)
    }

    /// The statuses in their order, each once (a replay repeats one).
    private func distinctInOrder(_ statuses: [String]) -> [String] {
        statuses.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }
}
