import BusSchema

extension Reconciliation {
    /// order-ingest's last decision about each order (`bus.order-acceptance`), by order number.
    func lastDecisions() -> [OrderNumber: OrderAcceptance] {
        var last: [OrderNumber: OrderAcceptance] = [:]
        for acceptance in journal.messages(OrderAcceptance.self, on: Topics.orderAcceptance).map(\.message) { last[acceptance.orderNumber] = acceptance }
        return last
    }

    /// Whether the page of an order the ERP has tells the site it was accepted. The page shows
    /// the bus's decision until the ERP's first status, never after (`OrderProgress.take`):
    /// an "accepted" status-notifier reads after the ERP's status is not shown, the ERP's
    /// progress says it. status-notifier reads the ERP's statuses and order-ingest's decisions
    /// on two topics, so after a kill (or a replay across them) it can read a held order's
    /// status before the "accepted" that freed it: the page then goes from "held" to the ERP's
    /// progress, which is right when order-ingest's last decision was "accepted".
    static func pageSaysAccepted(_ file: SiteOrderFile, lastDecision: OrderAcceptance?) -> Bool {
        if file.acceptance?.status == .accepted { return true }
        guard file.tracking != nil else { return false }
        switch file.acceptance?.status {
        case .refused?: return false
        case .held?: return lastDecision?.status == .accepted
        default: return true
        }
    }
}
