import BusSchema

extension Reconciliation {
    /// A corrected re-send (`SiteOrders+Corrections`): the order held `unknown_sku` for a stale
    /// line, sent again by the site without it, superseded the held version: in the ERP once,
    /// without the stale SKU, at the corrected total; the site told it was accepted.
    func corrections() -> Check {
        guard let plan = day.orders.first(where: { $0.accountCase == .correctedResend }), let stale = plan.staleSKU else {
            return Check(name: "corrections", summary: "no corrected re-send today", failures: [])
        }
        var failures: [String] = []
        let number = plan.number
        let versions = journal.messages(SiteOrder.self, on: Topics.shopOrders).filter { $0.message.orderNumber == number }
        if Set(versions.compactMap(\.record.id)).count != 2 { failures.append("\(number): the site sent \(versions.count) versions, the held one and its correction expected") }
        let held = journal.messages(OrderAcceptance.self, on: Topics.orderAcceptance)
            .contains { $0.message.orderNumber == number && $0.message.status == .held && $0.message.reasons.contains { $0.code == .unknownSku } }
        if !held { failures.append("\(number) was not held unknown_sku before its correction") }
        let received = journal.messages(ERPSalesOrder.self, on: Topics.erpSalesOrders).filter { $0.message.externalReference == number }
        let ids = Set(received.filter { $0.message.revision == 1 }.compactMap(\.record.id))
        if ids.count != 1 { failures.append("\(number) reached the ERP \(ids.count) times, once expected") }
        if received.contains(where: { $0.message.lines.contains { $0.sku == stale } }) { failures.append("\(number) reached the ERP with the stale line: the held version stood") }
        if let file = outcome.site.orders[number] {
            if let sent = received.first?.message, sent.totals.totalInclTax != file.placed.totals.totalInclTax {
                failures.append("\(number): ERP total \(sent.totals.totalInclTax), the corrected order's \(file.placed.totals.totalInclTax)")
            }
            if !Self.pageSaysAccepted(file, lastDecision: lastDecisions()[number]) { failures.append("\(number): corrected, but the site was last told \(file.acceptance?.status.rawValue ?? "nothing")") }
        }
        return Check(name: "corrections", summary: "1 held order sent again corrected by the site: the held version superseded, in the ERP once without its stale line",
                     failures: failures)
    }
}
