import BusSchema

/// Timers in the payment-letterer: the wait of an overpayment (`OverpaymentWait`) and retention.
///
/// Retention: an order's account is forgotten `retention` days after
/// its last event once it is settled (fully invoiced, every invoice and credit note lettered
/// or turned into store credit, every payment posted); a late payment or document for an
/// order no longer held, dated before the retention, is an exception, never a second receipt.
extension PaymentLetterer {
    /// The earlier of the end of an overpayment's wait (`OverpaymentWait`) and a settled
    /// account's or a spent balance's expiry.
    public func wakeTime(key: String, value: LettererState) -> Instant? {
        [value.overpaymentDeadline(minutes: rules.overpaymentWaitMinutes), value.expiry(rules.retention)].compactMap { $0 }.min()
    }

    /// Reports the overpayment whose wait ran out if the account is still overpaid, then
    /// forgets the value when it is still settled and its retention ran out.
    public func wake(_ timer: FlowTimer, state: inout FlowState<LettererState>, tables: any TableLookup) throws -> [FlowOutput] {
        let outputs = try judgeOverpayment(timer, state: &state)
        state.forgetIfExpired(timer) { $0.expiry(rules.retention) }
        return outputs
    }

    /// The exception case of a payment, invoice or credit note about an unknown order, dated
    /// longer ago than the retention (and its margin) before the partition's clock.
    func forgottenCase(_ input: FlowInput, known: Bool, clock: Instant?) -> LettererCase? {
        guard !known else { return nil }
        let subject: String
        let dated: Instant
        switch input.message {
        case let payment as SitePayment: (subject, dated) = ("payment \(payment.paymentID)", payment.occurredAt)
        case let invoice as ERPInvoice: (subject, dated) = ("invoice \(invoice.invoiceNumber)", invoice.issuedAt)
        case let note as ERPCreditNote: (subject, dated) = ("credit note \(note.creditNoteNumber)", note.issuedAt)
        default: return nil
        }
        let now = max(clock ?? input.envelope.time, input.envelope.time)
        guard rules.retention.mayHaveForgotten(since: dated, at: now, marginDays: Retention.defaultMarginDays) else { return nil }
        return .forgotten(subject: subject, at: dated)
    }
}

extension LettererState {
    /// When an account's overpayment waiting is judged; nil for a balance or when none waits.
    public func overpaymentDeadline(minutes: Int) -> Instant? {
        if case .account(let account) = self { account.overpaymentDeadline(minutes: minutes) } else { nil }
    }

    /// When the value is forgotten: an account once settled, a balance once spent or expired.
    public func expiry(_ retention: Retention) -> Instant? {
        switch self {
        case .account(let account): account.expiry(retention)
        case .balance(let balance): balance.expiry(retention)
        }
    }
}

extension OrderAccount {
    /// Whether nothing is left to do: the order's total is invoiced, every invoice and credit
    /// note (of the order's currency) is lettered in full or refunded as store credit, and
    /// every payment is posted. Open balances (unpaid, overpaid beyond the tolerance,
    /// mismatched) are a person's to settle, and are kept.
    public var isSettled: Bool {
        let open = payments.contains { !$0.posted && !$0.excluded && $0.spend != .refused }
        // Cancelled before any invoice: settled once its refunds give back every capture.
        if cancelledAt != nil, !invoices.contains(where: { !$0.excluded }) {
            let net = payments.filter(\.counts).reduce(Int64(0)) { $0 + ($1.kind == .capture ? $1.amount.amount : -$1.amount.amount) }
            return net == 0 && !open
        }
        guard let orderTotal else { return false }
        let invoices = self.invoices.filter { !$0.excluded }
        let invoiced = invoices.reduce(Int64(0)) { $0 + $1.amount.amount }
        guard invoiced >= orderTotal.amount else { return false }
        guard invoices.allSatisfy({ $0.lettered.reduce(0) { $0 + $1.amount } >= $0.amount.amount }) else { return false }
        let notesDone = creditNotes.filter { !$0.excluded }.allSatisfy { note in
            note.storeCreditIssued || note.lettered.reduce(0) { $0 + $1.amount } >= note.amount.amount
        }
        return notesDone && !open
    }

    /// When the account is forgotten: `retention` after its last event, once settled.
    public func expiry(_ retention: Retention) -> Instant? {
        guard isSettled, let lastEventAt else { return nil }
        return retention.expiry(after: lastEventAt)
    }
}
