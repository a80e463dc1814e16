import BusSchema

/// What closes an order's money once its documents say so: the offset of a cancelled order's
/// captures and refunds, the site's view of each invoice, and the refund an overpayment calls for.
extension OrderAccount {
    /// An order cancelled before any invoice: each refund letters against the captures, in
    /// arrival order (see `Allocation`), in one offset that grows with each payment matched
    /// and supersedes the one before. Nothing to offset until the account is known.
    mutating func offsetCancelled(order: OrderNumber, captures: [Int], refunds: [Int]) throws(SchemaError) -> [PaymentOffset] {
        guard cancelledAt != nil, !invoices.contains(where: { !$0.excluded }), let accountCode, let currency else { return [] }
        let toRefunds = Allocation.allocate(debts: refunds.map { payments[$0].amount.amount }, credits: captures.map { payments[$0].amount.amount })
        let matched = zip(refunds, toRefunds).filter { !$0.1.isEmpty }
        guard !matched.isEmpty else { return [] }
        var fromCaptures: [Int: Int64] = [:]
        for piece in toRefunds.joined() { fromCaptures[captures[piece.credit], default: 0] += piece.amount }
        let captured = fromCaptures.keys.sorted().map { LetteredPayment(receiptID: Self.receiptID(of: payments[$0].paymentID), amount: Money(amount: fromCaptures[$0] ?? 0, currency: currency)) }
        let refunded = matched.map { index, pieces in
            LetteredPayment(receiptID: Self.receiptID(of: payments[index].paymentID), amount: Money(amount: pieces.reduce(0) { $0 + $1.amount }, currency: currency))
        }
        let count = captured.count + refunded.count
        guard count != offsetPayments, let at = (Array(fromCaptures.keys) + matched.map(\.0)).map({ payments[$0].occurredAt }).max() else { return [] }
        offsetPayments = count
        return [PaymentOffset(offsetID: EventID.fromFacts("off", [order.rawValue, String(count)]), accountCode: accountCode, orderNumber: order,
                              currency: currency, captures: captured, refunds: refunded, letteredAt: at)]
    }

    /// Every invoice whose paid part the site has not seen yet, as the site's account page shows it.
    mutating func publishInvoices(order: OrderNumber) throws(SchemaError) -> [AccountInvoice] {
        var published: [AccountInvoice] = []
        for index in invoices.indices where !invoices[index].excluded {
            let invoice = invoices[index]
            let paid = invoice.lettered.reduce(Int64(0)) { $0 + $1.amount }
            guard invoice.publishedPaid != paid else { continue }
            invoices[index].publishedPaid = paid
            let open = max(invoice.amount.amount - paid, 0)
            published.append(AccountInvoice(
                invoiceNumber: invoice.number, accountCode: invoice.accountCode, orderNumber: order, total: invoice.amount,
                paid: Money(amount: paid, currency: invoice.amount.currency), open: Money(amount: open, currency: invoice.amount.currency),
                status: InvoiceSettlement(paid: paid, open: open), dueOn: invoice.dueOn, updatedAt: latest(invoice.issuedAt, invoice.lettered)))
        }
        return published
    }

    /// The refund an overpayment of `excess` calls for: back through the latest captures first,
    /// each for at most what it brought, dated `at` (the overpayment's facts). Nil until the
    /// account is known.
    func proposeRefund(order: OrderNumber, excess: Money, invoiced: Money, paid: Money, captures: [Int], at: Instant) -> RefundProposal? {
        guard let accountCode, excess.amount > 0 else { return nil }
        var due = excess.amount
        var refundTo: [ProposedRefund] = []
        for index in captures.reversed() where due > 0 {
            let payment = payments[index]
            let amount = min(due, payment.amount.amount)
            due -= amount
            refundTo.append(ProposedRefund(paymentID: payment.paymentID, method: payment.method, providerReference: payment.providerReference,
                                           amount: Money(amount: amount, currency: excess.currency)))
        }
        guard due == 0 else { return nil }
        return RefundProposal(proposalID: EventID.fromFacts("rfp", [order.rawValue, String(excess.amount)]), orderNumber: order, accountCode: accountCode,
                              amount: excess, invoicedTotal: invoiced, paidTotal: paid, refundTo: refundTo, proposedAt: at)
    }
}
