import BusSchema

/// The back office's answer to payment-letterer's refund proposals (an order invoiced for
/// less than was captured, #17): once the order is delivered, the latest proposal of the
/// order is refunded, once, through the payment provider; the site reports the refund.
extension ERPSimulator {
    /// Keeps the latest proposal of its order (a replay repeats one: the same id).
    func take(_ proposal: RefundProposal) {
        proposals[proposal.orderNumber] = proposal
    }

    /// Refunds each proposal of a delivered order not refunded yet. Why wait for delivery:
    /// the back office refunds what the order finally cost, not a figure of its way there.
    func approveProposals() {
        for (number, proposal) in proposals.sorted(by: { $0.key < $1.key }) where refundedOnProposal[number] == nil {
            guard let order = desk.orders[number], order.stage == .delivered, order.observedSequence == order.sequence else { continue }
            refundedOnProposal[number] = proposal.amount
            guard let at = try? day.clock.adding(3600, to: proposal.proposedAt) else { continue }
            for piece in proposal.refundTo { proposedRefunds.append((number, piece.amount, at)) }
        }
    }

    /// Delivered orders invoiced for less than captured whose refund proposal is still to come:
    /// only while payment-letterer raises an overpayment at once (`DemoRules.overpaymentWaitMinutes`
    /// 0); after a wait, whether the partition's clock passes it is the reconciliation's to judge.
    var awaitingProposals: [OrderNumber] {
        guard DemoRules.overpaymentWaitMinutes == 0 else { return [] }
        return desk.orders.filter { number, order in
            order.plan?.fate.isInvoicedForLess == true && !order.cancelledLines.isEmpty && order.stage == .delivered && refundedOnProposal[number] == nil
        }.keys.sorted()
    }

    /// Takes the refunds approved since last time.
    func takeProposedRefunds() -> [(order: OrderNumber, amount: Money, at: Instant)] {
        defer { proposedRefunds = [] }
        return proposedRefunds
    }
}
