import BusSchema

extension Reconciliation {
    /// A new customer's first order, placed a second after the sign-up (`FirstOrder`), reaches
    /// the ERP exactly once with no manual step and no re-send by the site: held
    /// `unknown_customer` when it came before the customer's link, then judged again by
    /// order-ingest when the link arrived; the page then says accepted, or shows the ERP's
    /// progress after it (`pageSaysAccepted`).
    func firstOrders() -> Check {
        var failures: [String] = []
        var held = 0, reached = 0
        let sent = journal.messages(SiteOrder.self, on: Topics.shopOrders)
        let received = journal.messages(ERPSalesOrder.self, on: Topics.erpSalesOrders)
        let acceptances = journal.messages(OrderAcceptance.self, on: Topics.shopOrderTracking).map(\.message)
        let decisions = lastDecisions()
        for first in day.firstOrders {
            let copies = sent.filter { $0.message.orderNumber == first.order }.count
            if copies != 1 { failures.append("\(first.order): the site sent it \(copies) times (a re-send is a manual step)") }
            let ids = Set(received.filter { $0.message.externalReference == first.order && $0.message.revision == 1 }.compactMap(\.record.id))
            if ids.count == 1 { reached += 1 } else { failures.append("\(first.order) reached the ERP \(ids.count) times, once expected") }
            let answers = acceptances.filter { $0.orderNumber == first.order }
            if answers.contains(where: { $0.status == .held && $0.reasons.contains { $0.code == .unknownCustomer } }) { held += 1 }
            let page = outcome.site.orders[first.order]
            if !(page.map { Self.pageSaysAccepted($0, lastDecision: decisions[first.order]) } ?? false) {
                failures.append("\(first.order): the site was last told \(answers.last?.status.rawValue ?? "nothing"), accepted (or the ERP's progress after it) expected")
            }
        }
        return Check(name: "first orders",
                     summary: "\(Reconciliation.count(day.firstOrders.count, "new customer")) ordering a second after signing up: \(reached) in the ERP once, "
                         + "no re-send, no manual step (\(held) held unknown_customer until the link came, then judged again)",
                     failures: failures)
    }
}
