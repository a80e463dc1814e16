import BusSchema

extension Reconciliation {
    /// Per order, what the customer paid equals what the ERP invoiced, to the cent: captures
    /// less refunds, every method counted (cards, PayPal, transfers, gift cards), less the store
    /// credit the order's credit notes gave back, against invoices less credit notes. An order
    /// invoiced for less than was captured (a partial cancellation) is the one named case: once
    /// payment-letterer's wait has passed on its clock (`overpaymentIsDue`), it reports the
    /// overpayment once and proposes its refund, for exactly what the cancellation (and a change
    /// after it) took off the site's total, which the back
    /// office refunds; within the wait, nothing is raised and the customer is owed exactly the
    /// same. No other order is overpaid.
    func money() throws -> Check {
        var failures: [String] = []
        let currency = DemoValues.currency
        var seen: Set<String> = []
        func unique<M: BusMessage>(_ type: M.Type, on topic: String) -> [M] {
            journal.messages(type, on: topic).filter { $0.record.id.map { seen.insert($0).inserted } ?? true }.map(\.message)
        }
        var storeCredit: [OrderNumber: [Money]] = [:]
        for credit in unique(StoreCreditIssued.self, on: Topics.erpLettering) { storeCredit[credit.orderNumber, default: []].append(credit.amount) }
        var overpaid: [String: [BusinessException]] = [:]
        for exception in unique(BusinessException.self, on: Topics.exceptions) where exception.kind == .overpayment {
            overpaid[exception.entity.key, default: []].append(exception)
        }
        var proposed: [OrderNumber: [RefundProposal]] = [:]
        for proposal in unique(RefundProposal.self, on: Topics.erpLettering) { proposed[proposal.orderNumber, default: []].append(proposal) }

        var balanced = 0, refundedOnProposal = 0, waiting = 0
        var paidInAll = Money.zero(currency), invoicedInAll = Money.zero(currency)
        for plan in day.orders where plan.isValid {
            let number = plan.number
            guard let order = outcome.erp.desk.orders[number], let file = outcome.site.orders[number] else { continue }
            let captured = try Money.sum(file.payments.filter { $0.kind == .capture }.map(\.amount), in: currency)
            let refunded = try Money.sum(file.payments.filter { $0.kind == .refund }.map(\.amount), in: currency)
            let paid = try captured.subtracting(refunded).subtracting(Money.sum(storeCredit[number] ?? [], in: currency))
            let invoiced = try Money.sum(order.invoices.map(\.totalInclTax), in: currency)
                .subtracting(Money.sum(order.creditNotes.map(\.totalInclTax), in: currency))
            paidInAll = try paidInAll.adding(paid)
            invoicedInAll = try invoicedInAll.adding(invoiced)
            let difference = try paid.subtracting(invoiced)
            let exceptions = overpaid[number.rawValue] ?? [], proposals = proposed[number] ?? []
            guard plan.fate.isInvoicedForLess, !order.cancelledLines.isEmpty else {
                if difference.amount == 0 { balanced += 1 } else {
                    failures.append("\(number): the customer paid \(paid) (captured \(captured), refunded \(refunded)), the ERP invoiced \(invoiced)")
                }
                if !exceptions.isEmpty || !proposals.isEmpty {
                    failures.append("\(number): an overpayment was reported (\(exceptions.count)) or a refund proposed (\(proposals.count)) though nothing was cancelled")
                }
                continue
            }
            // What the cancelled lines (and a change after them) took off the site's total:
            // captured beyond the invoices, refunded only on the bus's proposal.
            let cancelled = try file.placed.totals.totalInclTax.subtracting(file.current.totals.totalInclTax)
            guard try overpaymentIsDue(number, file: file, order: order) else {
                // Within the wait: nothing raised yet, and the customer is owed that amount.
                if !exceptions.isEmpty || !proposals.isEmpty {
                    failures.append("\(number): an overpayment was reported before overpayment_wait_minutes passed on payment-letterer's clock")
                } else if difference != cancelled {
                    failures.append("\(number): paid \(difference) beyond the invoices, the cancellations took off \(cancelled)")
                } else {
                    waiting += 1
                }
                continue
            }
            let refundedThen = outcome.erp.refundedOnProposal[number]
            guard proposals.count == 1, let proposal = proposals.first, exceptions.count == 1, let exception = exceptions.first else {
                failures.append("\(number): invoiced for less than captured, \(exceptions.count) overpayment exceptions and \(proposals.count) refund proposals, one each expected")
                continue
            }
            // Captured beyond the invoices before the back office refunded: the proposal's amount.
            let excess = try difference.adding(refundedThen ?? .zero(currency))
            if excess != cancelled || proposal.amount != excess || exception.details["excess"] != excess.description {
                failures.append("\(number): captured \(excess) beyond the invoices, the cancellations took off \(cancelled); "
                                + "the proposal says \(proposal.amount), the exception \(exception.details["excess"] ?? "nothing")")
            } else if refundedThen != proposal.amount || difference.amount != 0 {
                failures.append("\(number): a refund of \(proposal.amount) was proposed, the back office refunded \(refundedThen?.description ?? "nothing")")
            } else {
                refundedOnProposal += 1
            }
        }
        return Check(name: "money", summary: "\(balanced) orders paid exactly what the ERP invoiced, to the cent (\(paidInAll) paid, \(invoicedInAll) invoiced, "
                     + "net of refunds, credit notes and store credit); \(refundedOnProposal + waiting) invoiced for less than captured after a partial cancellation: "
                     + "\(refundedOnProposal) overpayments reported once and refunded on the bus's proposal, \(waiting) within overpayment_wait_minutes "
                     + "(paid beyond the invoices by exactly what the cancellations took off)", failures: failures)
    }

    /// Whether payment-letterer must have raised the overpayment of `number`: at once, or once
    /// its clock on the order's partition (the latest `ce_time` of its inputs there) passed
    /// `DemoRules.overpaymentWaitMinutes` after the overpayment's facts (payments and invoices).
    func overpaymentIsDue(_ number: OrderNumber, file: SiteOrderFile, order: ERPOrder) throws -> Bool {
        let wait = DemoRules.overpaymentWaitMinutes
        guard wait > 0 else { return true }
        let inputs: Set<String> = [Topics.shopPayments, Topics.erpInvoices, Topics.erpSalesOrders]
        guard let facts = (file.payments.map(\.occurredAt) + order.invoices.map(\.issuedAt)).max(),
              let partition = journal.records.first(where: { inputs.contains($0.topic) && $0.key == number.rawValue })?.partition,
              let clock = journal.records.filter({ inputs.contains($0.topic) && $0.partition == partition }).compactMap(\.time).max() else { return false }
        return clock >= (try day.clock.adding(wait * 60, to: facts))
    }
}

extension OrderFate {
    /// Whether the ERP invoices less than the customer paid at checkout: lines cancelled
    /// without the site refunding them (payment-letterer proposes the refund).
    var isInvoicedForLess: Bool {
        self == .partlyCancelled || self == .partlyCancelledThenChanged || self == .restCancelledAfterPartialShipment
    }
}
