import BusSchema

extension Reconciliation {
    /// Partial cancellations (#17) went where their plan says, through the bus: the last line
    /// cancelled before preparation reaches the ERP as a cancellation of that line, which is
    /// never shipped nor invoiced; a change after it keeps the line cancelled in the next
    /// revision; after a first parcel, the rest is cancelled in the ERP (not refused as "in
    /// preparation", not turned into a return), and the order is shown partly shipped then
    /// delivered, never cancelled. The money of each: `money()`.
    func partialCancellations() -> Check {
        var failures: [String] = []
        let cancellations = journal.messages(ERPSalesOrderCancellation.self, on: Topics.erpSalesOrders).map(\.message).filter { !$0.lines.isEmpty }
        let revisions = journal.messages(ERPSalesOrder.self, on: Topics.erpSalesOrders).map(\.message)
        let returns = journal.messages(ERPReturnRequest.self, on: Topics.erpSalesOrders).map(\.message)
        let asked = journal.messages(CancellationRequest.self, on: Topics.shopOrders).map(\.message).filter { !$0.lines.isEmpty }
        var lineCancelled = 0, keptCancelled = 0, restCancelled = 0
        for plan in day.orders where plan.isValid && plan.fate.isInvoicedForLess {
            let number = plan.number
            guard let order = outcome.erp.desk.orders[number], let file = outcome.site.orders[number] else { continue }
            // The lines the customer cancelled, as the site asked: a later change may remove
            // another line (`SiteCheckout.lowered` drops the last one when none can be lowered),
            // which is a new revision, not a cancellation.
            let wanted = Set(asked.filter { $0.orderNumber == number }.flatMap(\.lines).map(\.lineNumber))
            let sent = Set(cancellations.filter { $0.externalReference == number }.flatMap(\.lines).map(\.lineNumber))
            guard !wanted.isEmpty else {
                failures.append("\(number): the customer never cancelled part of it (\(file.seen.map(\.rawValue).sorted().joined(separator: ", ")) seen)")
                continue
            }
            if sent != wanted { failures.append("\(number): lines \(wanted.sorted()) cancelled on the site, \(sent.sorted()) in the ERP's cancellations") }
            if order.cancelledLines != wanted { failures.append("\(number): the ERP cancelled lines \(order.cancelledLines.sorted()), \(wanted.sorted()) expected") }
            let shipped = Set(order.shipments.flatMap(\.lines).map(\.lineNumber))
            if !shipped.isDisjoint(with: wanted) { failures.append("\(number): a cancelled line was shipped") }
            if file.seen.contains(.cancelled) { failures.append("\(number): the site showed it cancelled") }
            if returns.contains(where: { $0.externalReference == number }) { failures.append("\(number): a partial cancellation became a return") }
            switch plan.fate {
            case .partlyCancelled:
                lineCancelled += 1
            case .partlyCancelledThenChanged:
                let later = revisions.filter { $0.externalReference == number && $0.revision > 1 }
                let back = later.flatMap(\.lines).filter { wanted.contains($0.lineNumber) && $0.quantity > .zero }
                if later.isEmpty { failures.append("\(number): the change after the cancellation never reached the ERP") }
                else if !back.isEmpty { failures.append("\(number): revision \(later.map(\.revision).max() ?? 0) brought cancelled line \(back[0].lineNumber) back") }
                else { keptCancelled += 1 }
            case .restCancelledAfterPartialShipment:
                if order.shipments.count == 1, file.seen.contains(.partiallyShipped) { restCancelled += 1 }
                else { failures.append("\(number): \(order.shipments.count) parcels, partly shipped \(file.seen.contains(.partiallyShipped) ? "shown" : "never shown"); one parcel then the rest cancelled expected") }
            default:
                break
            }
        }
        return Check(name: "cancellations",
                     summary: "\(Reconciliation.count(lineCancelled, "line")) cancelled before preparation, \(keptCancelled) kept cancelled through a later change, "
                         + "\(restCancelled) rest cancelled after a first parcel (shown partly shipped, then delivered); none shipped, returned or refused",
                     failures: failures)
    }
}
