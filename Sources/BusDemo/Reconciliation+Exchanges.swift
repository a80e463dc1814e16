import BusSchema

extension Reconciliation {
    /// A return asking for an exchange (`SiteOrders+Exchanges`): passed to the ERP with the
    /// return as the article taken instead of the returned line, linked to it; nothing credited
    /// nor refunded for it; the site's order page shows the return accepted. And every other
    /// return's status reaches the site: refunded once its credit note is issued.
    func exchanges() -> Check {
        var failures: [String] = []
        var exchanged = 0, seen = 0
        let returns = journal.messages(ERPReturnRequest.self, on: Topics.erpSalesOrders).map(\.message)
        let notes = journal.messages(ERPCreditNote.self, on: Topics.erpInvoices).map(\.message)
        for plan in day.orders where plan.isValid {
            let number = plan.number
            let file = outcome.site.orders[number]
            switch plan.fate {
            case .exchanged(let sku):
                let before = failures.count
                let passed = returns.filter { $0.externalReference == number }
                guard let request = passed.first else {
                    failures.append("\(number): the return asking for an exchange never reached the ERP")
                    continue
                }
                let line = file?.placed.lines.first?.lineNumber
                if request.exchange?.contains(where: { $0.sku == sku && $0.returnedLineNumber == line }) != true {
                    failures.append("\(number): the ERP's return carries no exchange of line \(line.map(String.init) ?? "?") for \(sku)")
                }
                if notes.contains(where: { $0.orderNumber == number }) { failures.append("\(number): the exchanged unit was credited") }
                if file?.payments.contains(where: { $0.kind == .refund }) == true { failures.append("\(number): the exchanged unit was refunded") }
                let status = file?.returns.first { $0.returnNumber == request.returnNumber }?.status
                if status != .accepted { failures.append("\(number): the site shows the exchange's return \(status?.rawValue ?? "not at all"), accepted expected") }
                if failures.count == before { exchanged += 1 }
            case .returned, .cancelledAfterShipment:
                for request in returns where request.externalReference == number {
                    let status = file?.returns.first { $0.returnNumber == request.returnNumber }?.status
                    if status == .refunded { seen += 1 } else {
                        failures.append("\(number): the site shows return \(request.returnNumber) \(status?.rawValue ?? "not at all"), refunded expected")
                    }
                }
            default:
                break
            }
        }
        return Check(name: "exchanges", summary: "\(exchanged) return asking for an exchange: passed to the ERP with the article taken instead, "
                         + "not credited, the site told it is accepted; \(Reconciliation.count(seen, "other return")) seen refunded on the site", failures: failures)
    }
}
