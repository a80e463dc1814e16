import BusSchema

extension Reconciliation {
    /// Every valid site order is in the ERP exactly once (one sales order per revision), its
    /// last revision's total equal to the site's to the cent and to the ERP's own books; the
    /// invalid one never is. No order is ever held for rounding: the site's total prevails, so
    /// such a hold is a failure; rounding lines are counted (never more than a cent per rate).
    func orders() throws -> Check {
        var failures: [String] = []
        var byOrder: [OrderNumber: [(record: ObservedRecord, message: ERPSalesOrder)]] = [:]
        for item in journal.messages(ERPSalesOrder.self, on: Topics.erpSalesOrders) { byOrder[item.message.externalReference, default: []].append(item) }
        var inERP = 0, revised = 0, rounded = 0, held = 0, bulk = 0, mixed = 0, giftCardVouchers = 0
        var value = Money.zero(DemoValues.currency)
        var holds: [String: Int] = [:]
        for acceptance in journal.messages(OrderAcceptance.self, on: Topics.shopOrderTracking).map(\.message) where acceptance.status == .held {
            for reason in acceptance.reasons {
                holds[reason.code.rawValue, default: 0] += 1
                if reason.code == .roundingBeyondTolerance {
                    failures.append("\(acceptance.orderNumber) was held for rounding: \(reason.message)")
                }
            }
        }
        let decisions = lastDecisions()
        for plan in day.orders {
            guard let file = outcome.site.orders[plan.number] else {
                failures.append("\(plan.number) was never placed")
                continue
            }
            let received = byOrder[plan.number] ?? []
            guard plan.isValid else {
                // The unpaid order: `waits()`; the blocked account's: `blockedAccount()`.
                if plan.staleSKU != nil { held += 1 }
                if !received.isEmpty {
                    let why = plan.accountCase == .blockedAccount ? "its account is blocked" : plan.staleSKU != nil ? "it names a SKU the catalogue does not sell" : "it was never paid"
                    failures.append("\(plan.number) reached the ERP though \(why)")
                }
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
            let expected = plan.fate == .changedBeforePreparation || plan.fate == .partlyCancelledThenChanged ? 2 : 1
            guard revisions[1] != nil, let last = received.max(by: { $0.message.revision < $1.message.revision })?.message else {
                failures.append("\(plan.number) has no first revision in the ERP")
                continue
            }
            if last.revision != expected { failures.append("\(plan.number) ends at revision \(last.revision) in the ERP, \(expected) expected") }
            // A gift card redeemed as a voucher is a payment: the ERP invoices the full price,
            // the site's total is what is left after it.
            let giftCards = try Money.sum(file.current.vouchers.filter(\.isPayment).map(\.amountInclTax), in: DemoValues.currency)
            // Lines cancelled with no change after keep the revision the site placed: the ERP's
            // cancellation, not a revision, takes them off.
            let site = last.revision == 1 ? file.placed.totals : file.current.totals
            if try last.totals.totalInclTax.subtracting(giftCards) != site.totalInclTax {
                failures.append("\(plan.number): ERP total \(last.totals.totalInclTax) less gift cards \(giftCards), site total \(site.totalInclTax)")
            }
            if giftCards.amount != 0 { giftCardVouchers += 1 }
            if !Self.pageSaysAccepted(file, lastDecision: decisions[plan.number]) { failures.append("\(plan.number) is in the ERP but the site was told \(file.acceptance?.status.rawValue ?? "nothing")") }
            inERP += 1
            if last.revision > 1 { revised += 1 }
            if let rounding = last.roundingLine {
                rounded += 1
                let rates = Set(last.lines.map(\.vatRate) + last.charges.map(\.vatRate))
                if rounding.amount.amount.magnitude > UInt64(rates.count) {
                    failures.append("\(plan.number): a rounding line of \(rounding.amount), more than a cent per VAT rate")
                }
            }
            if last.lines.contains(where: { $0.quantity >= DemoValues.quantity(10) }) { bulk += 1 }
            if Set(last.lines.map(\.vatRate)).count >= 3, !last.charges.isEmpty { mixed += 1 }
            value = try value.adding(last.totals.totalInclTax)
        }
        failures += outcome.erp.desk.bookProblems.map { "ERP books: \($0)" }
        let byReason = holds.keys.sorted().map { "\($0) \(holds[$0] ?? 0)" }.joined(separator: ", ")
        return Check(name: "orders", summary: "\(day.orders.count) placed; \(inERP) in the ERP exactly once, totals equal to the cent "
                     + "(\(revised) changed into a second revision, \(bulk) with 10+ units of a price, \(mixed) at three VAT rates with shipping, \(giftCardVouchers) with a gift card voucher (a payment, full price invoiced), "
                     + "\(rounded) with a rounding line of at most a cent per rate, \(value) in all); \(held) held"
                     + " (holds by reason: \(byReason.isEmpty ? "none" : byReason); none for rounding)", failures: failures)
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
            case .exchanged:
                // `exchanges()`.
                break
            case .completed, .changedBeforePreparation, .partlyCancelled, .partlyCancelledThenChanged, .restCancelledAfterPartialShipment, .unpaidTimedOut:
                // Partial cancellations: `partialCancellations()`.
                break
            }
        }
        return Check(name: "lifecycles", summary: "\(delivered) delivered (\(split) in two parcels), \(cancelled) cancelled before preparation, "
                     + "\(refused) cancellations refused in preparation, \(turned) late cancellations turned into returns, \(credited) returns credited",
                     failures: failures)
    }
}
