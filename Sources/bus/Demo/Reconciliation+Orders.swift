import BusSchema

extension Reconciliation {
    /// Every valid site order is in the ERP exactly once (one sales order per revision), its
    /// last revision's total equal to the site's to the cent and to the ERP's own books; the
    /// invalid one never is.
    func orders() throws -> Check {
        var failures: [String] = []
        var byOrder: [OrderNumber: [(record: ObservedRecord, message: ERPSalesOrder)]] = [:]
        for item in journal.messages(ERPSalesOrder.self, on: Topics.erpSalesOrders) { byOrder[item.message.externalReference, default: []].append(item) }
        var inERP = 0, revised = 0, rounded = 0, held = 0
        var value = Money.zero(DemoValues.currency)
        for plan in day.orders {
            guard let file = outcome.site.orders[plan.number] else {
                failures.append("\(plan.number) was never placed")
                continue
            }
            let received = byOrder[plan.number] ?? []
            guard plan.isValid else {
                held += 1
                if !received.isEmpty { failures.append("\(plan.number) reached the ERP though it names a SKU the catalogue does not sell") }
                continue
            }
            guard !received.isEmpty else {
                let reasons = file.acceptance?.reasons.map(\.code.rawValue).joined(separator: ", ") ?? "no answer"
                failures.append("\(plan.number) never reached the ERP (\(file.acceptance?.status.rawValue ?? "no acceptance"): \(reasons))")
                continue
            }
            let revisions = Dictionary(grouping: received, by: \.message.revision)
            for (revision, copies) in revisions where Set(copies.compactMap(\.record.id)).count > 1 {
                failures.append("\(plan.number) revision \(revision) sent \(copies.count) times with different ids")
            }
            let expected = plan.fate == .changedBeforePreparation ? 2 : 1
            guard revisions[1] != nil, let last = received.max(by: { $0.message.revision < $1.message.revision })?.message else {
                failures.append("\(plan.number) has no first revision in the ERP")
                continue
            }
            if last.revision != expected { failures.append("\(plan.number) ends at revision \(last.revision) in the ERP, \(expected) expected") }
            if last.totals.totalInclTax != file.current.totals.totalInclTax {
                failures.append("\(plan.number): ERP total \(last.totals.totalInclTax), site total \(file.current.totals.totalInclTax)")
            }
            if file.acceptance?.status != .accepted { failures.append("\(plan.number) is in the ERP but the site was told \(file.acceptance?.status.rawValue ?? "nothing")") }
            inERP += 1
            if last.revision > 1 { revised += 1 }
            if last.roundingLine != nil { rounded += 1 }
            value = try value.adding(last.totals.totalInclTax)
        }
        failures += outcome.erp.desk.bookProblems.map { "ERP books: \($0)" }
        return Check(name: "orders", summary: "\(day.orders.count) placed; \(inERP) in the ERP exactly once, totals equal to the cent "
                     + "(\(revised) changed into a second revision, \(rounded) with a rounding line, \(value) in all); \(held) held", failures: failures)
    }

    /// Every order went where its plan says, through the bus: delivered (maybe in two parcels),
    /// cancelled before preparation, a late cancellation refused or turned into a return, a
    /// return credited.
    func lifecycles() -> Check {
        var failures: [String] = []
        let returns = journal.messages(ERPReturnRequest.self, on: Topics.erpSalesOrders)
        let notes = journal.messages(ERPCreditNote.self, on: Topics.erpInvoices)
        let refusals = journal.messages(BusinessException.self, on: Topics.exceptions).filter { $0.message.worker == .orderIngest && $0.message.kind == .other }
        var delivered = 0, split = 0, cancelled = 0, refused = 0, turned = 0, credited = 0
        for plan in day.orders where plan.isValid {
            let number = plan.number
            guard let order = outcome.erp.desk.orders[number], let file = outcome.site.orders[number] else { continue }
            let expected: ERPOrder.Stage = plan.fate.endsCancelled ? .cancelled : .delivered
            if order.stage != expected { failures.append("\(number) is \(order.stage) in the ERP, \(expected) expected") }
            let shown: TrackingStatus = plan.fate.endsCancelled ? .cancelled : .delivered
            if file.tracking != shown { failures.append("\(number): the site shows \(file.tracking?.rawValue ?? "nothing"), \(shown.rawValue) expected") }
            failures += order.refused.map { "\(number): the ERP had to refuse a request the bus passed on (\($0))" }
            if order.stage == .delivered { delivered += 1 }
            if order.shipments.count > 1 { split += 1 }
            switch plan.fate {
            case .cancelledBeforePreparation:
                if order.stage == .cancelled { cancelled += 1 }
            case .cancelledInPreparation:
                if refusals.contains(where: { $0.message.entity.key == number.rawValue && $0.message.reason.contains("in preparation") }) {
                    refused += 1
                } else {
                    failures.append("\(number): the cancellation in preparation was not refused with its reason")
                }
            case .cancelledAfterShipment:
                if returns.contains(where: { $0.message.externalReference == number && $0.message.returnNumber.rawValue.hasPrefix("RC-") }),
                   notes.contains(where: { $0.message.orderNumber == number }) {
                    turned += 1
                } else {
                    failures.append("\(number): the cancellation after shipment did not become a credited return")
                }
            case .returned(let method):
                if returns.contains(where: { $0.message.externalReference == number && $0.message.refundMethod == method }),
                   notes.contains(where: { $0.message.orderNumber == number && $0.message.refundMethod == method }) {
                    credited += 1
                } else {
                    failures.append("\(number): the return was not credited")
                }
            case .completed, .changedBeforePreparation:
                break
            }
        }
        return Check(name: "lifecycles", summary: "\(delivered) delivered (\(split) in two parcels), \(cancelled) cancelled before preparation, "
                     + "\(refused) cancellations refused in preparation, \(turned) late cancellations turned into returns, \(credited) returns credited",
                     failures: failures)
    }
}
