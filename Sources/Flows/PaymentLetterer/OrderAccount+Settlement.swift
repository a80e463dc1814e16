import BusSchema

/// A business case the letterer found; the flow turns it into a `BusinessException`.
public enum LettererCase: Sendable, Equatable {
    /// A payment or document in another currency than the order's: left out of lettering.
    /// `subject` names it ("payment pay_1", "invoice FA-1").
    /// `at`: when the payment moved or the document was issued.
    case currencyMismatch(subject: String, found: Currency, expected: Currency, at: Instant)
    /// The same payment or document arrived again with other content.
    case conflict(subject: String)
    /// Once the order is fully invoiced, the customer paid more than invoiced, beyond the tolerance.
    /// `at`: the latest of the invoices and payments counted.
    case overpayment(excess: Money, invoiced: Money, paid: Money, at: Instant)
    /// A payment or document about an order the letterer does not hold, dated longer ago than
    /// it keeps settled orders: perhaps one already forgotten, so nothing is posted again.
    case forgotten(subject: String, at: Instant)

    /// When the facts of a case found by settling the account came together (nil for a
    /// conflict or a forgotten order, which are about the input that brought them): the case's
    /// date whichever input completed it.
    public var factsAt: Instant? {
        switch self {
        case let .currencyMismatch(_, _, _, at), let .overpayment(_, _, _, at): at
        case .conflict, .forgotten: nil
        }
    }
}

/// What settling an order's account produced, in the order the flow sends it.
public struct Settlement: Sendable {
    /// Receipts to post, in payment arrival order.
    public var receipts: [Receipt] = []
    /// Store credit to issue, in credit note arrival order.
    public var storeCredits: [StoreCreditIssued] = []
    /// Gift cards paid, one per unit, in line order.
    public var giftCards: [GiftCardIssued] = []
    /// Spends of credit codes, for their balances to decide.
    public var spends: [StoreCreditSpend] = []
    /// The captures and refunds of a cancelled, uninvoiced order, lettered together.
    public var offsets: [PaymentOffset] = []
    /// Invoices whose paid part changed, for the site's account page.
    public var accountInvoices: [AccountInvoice] = []
    /// Refunds proposed for an overpayment.
    public var proposals: [RefundProposal] = []
    /// Lettering entries whose content changed: invoices first, then credit notes, each in arrival order.
    public var entries: [LetteringEntry] = []
    /// Cases for a person.
    public var cases: [LettererCase] = []
}

extension OrderAccount {
    /// Brings the account up to date after something new was recorded, and says what to send.
    ///
    /// In order: payments and documents in another currency than the order's are left out
    /// (once each, with a case); every payment not yet posted is posted once the account is
    /// known; store credit is issued for credit notes refunded that way; invoices are lettered
    /// against captures and credit notes refunded to the original payment against refunds
    /// (see `Allocation`), an entry being sent only when a document's lettering grew; last,
    /// an overpayment beyond the tolerance is reported, once per amount, once the account has
    /// been overpaid for the rules' wait at `now` (the partition's clock, `OverpaymentWait`).
    /// Credit codes are keyed by `secret` (nil: derived from the facts alone, see `CreditCode`).
    public mutating func settle(order: OrderNumber, rules: PaymentLettererRules, secret: CreditCodeSecret? = nil, at now: Instant) throws(SchemaError) -> Settlement {
        var settlement = Settlement()
        settlement.cases = excludeOtherCurrencies()
        settlement.spends = forwardSpends(order: order)
        settlement.receipts = postReceipts(order: order, rules: rules)
        settlement.storeCredits = issueStoreCredits(order: order, rules: rules, secret: secret)
        let captures = payments.indices.filter { payments[$0].counts && payments[$0].kind == .capture }
        let refunds = payments.indices.filter { payments[$0].counts && payments[$0].kind == .refund }
        settlement.giftCards = try issueGiftCards(order: order, captures: captures, refunds: refunds, rules: rules, secret: secret)
        let invoiceDebts = invoices.indices.filter { !invoices[$0].excluded }
        let noteDebts = creditNotes.indices.filter { !creditNotes[$0].excluded && creditNotes[$0].refundMethod == .originalPayment }
        let toInvoices = Allocation.allocate(debts: invoiceDebts.map { invoices[$0].amount.amount }, credits: captures.map { payments[$0].amount.amount })
        let toNotes = Allocation.allocate(debts: noteDebts.map { creditNotes[$0].amount.amount }, credits: refunds.map { payments[$0].amount.amount })

        for (position, index) in invoiceDebts.enumerated() {
            let pieces = toInvoices[position].map { Allocation.Piece(credit: captures[$0.credit], amount: $0.amount) }
            guard !pieces.isEmpty, pieces != invoices[index].lettered else { continue }
            invoices[index].lettered = pieces
            settlement.entries.append(try entry(order: order, invoice: invoices[index], pieces: pieces))
        }
        for (position, index) in noteDebts.enumerated() {
            let pieces = toNotes[position].map { Allocation.Piece(credit: refunds[$0.credit], amount: $0.amount) }
            guard !pieces.isEmpty, pieces != creditNotes[index].lettered else { continue }
            creditNotes[index].lettered = pieces
            settlement.entries.append(try entry(order: order, note: creditNotes[index], pieces: pieces))
        }

        settlement.offsets = try offsetCancelled(order: order, captures: captures, refunds: refunds)
        settlement.accountInvoices = try publishInvoices(order: order)

        let capturesLeft = Allocation.leftovers(credits: captures.map { payments[$0].amount.amount }, after: toInvoices).reduce(0, +)
        let refundsLeft = Allocation.leftovers(credits: refunds.map { payments[$0].amount.amount }, after: toNotes).reduce(0, +)
        if let overpayment = try reportOverpayment(unapplied: capturesLeft - refundsLeft, captures: captures, refunds: refunds, rules: rules, at: now) {
            settlement.cases.append(overpayment)
            if case let .overpayment(excess, invoiced, paid, at) = overpayment,
               let proposal = proposeRefund(order: order, excess: excess, invoiced: invoiced, paid: paid, captures: captures, at: at) {
                settlement.proposals.append(proposal)
            }
        }
        return settlement
    }

    /// The id of the receipt that books `payment`: derived from its id, so a repeat gives the same.
    public static func receiptID(of payment: PaymentID) -> EventID {
        EventID.fromFacts("rcpt", [payment.rawValue])
    }

    // MARK: Steps

    private mutating func excludeOtherCurrencies() -> [LettererCase] {
        guard let currency else { return [] }
        var cases: [LettererCase] = []
        for index in payments.indices where !payments[index].excluded && payments[index].amount.currency != currency {
            payments[index].excluded = true
            cases.append(.currencyMismatch(subject: "payment \(payments[index].paymentID)", found: payments[index].amount.currency, expected: currency, at: payments[index].occurredAt))
        }
        for index in invoices.indices where !invoices[index].excluded && invoices[index].amount.currency != currency {
            invoices[index].excluded = true
            cases.append(.currencyMismatch(subject: "invoice \(invoices[index].number)", found: invoices[index].amount.currency, expected: currency, at: invoices[index].issuedAt))
        }
        for index in creditNotes.indices where !creditNotes[index].excluded && creditNotes[index].amount.currency != currency {
            creditNotes[index].excluded = true
            cases.append(.currencyMismatch(subject: "credit note \(creditNotes[index].number)", found: creditNotes[index].amount.currency, expected: currency, at: creditNotes[index].issuedAt))
        }
        return cases
    }

    private mutating func postReceipts(order: OrderNumber, rules: PaymentLettererRules) -> [Receipt] {
        guard let accountCode else { return [] }
        var receipts: [Receipt] = []
        // A spend awaiting its balance's answer, or refused, is not the customer's money yet.
        for index in payments.indices where !payments[index].posted && payments[index].spend != .awaiting && payments[index].spend != .refused {
            let payment = payments[index]
            payments[index].posted = true
            receipts.append(Receipt(
                receiptID: Self.receiptID(of: payment.paymentID), paymentID: payment.paymentID, orderNumber: order,
                accountCode: accountCode, kind: payment.kind, method: payment.method, amount: payment.amount,
                providerReference: payment.providerReference, journal: rules.journal(for: payment.method, provider: payment.provider),
                receivedAt: payment.occurredAt))
        }
        return receipts
    }

    private mutating func issueStoreCredits(order: OrderNumber, rules: PaymentLettererRules, secret: CreditCodeSecret?) -> [StoreCreditIssued] {
        var credits: [StoreCreditIssued] = []
        for index in creditNotes.indices where creditNotes[index].refundMethod == .storeCredit && !creditNotes[index].storeCreditIssued {
            creditNotes[index].storeCreditIssued = true
            let note = creditNotes[index]
            // A zero credit note gives nothing to spend; a store credit is always positive.
            guard note.amount.amount > 0 else { continue }
            credits.append(StoreCreditIssued(
                storeCreditID: EventID.fromFacts("sc", [note.number.rawValue]), accountCode: note.accountCode, orderNumber: order,
                amount: note.amount, reason: Self.storeCreditReason(for: note.reason), creditNoteNumber: note.number,
                expiresOn: rules.storeCreditExpiry(issuedOn: note.issuedAt.utcDate), issuedAt: note.issuedAt,
                code: Self.storeCreditCode(of: note.number, secret: secret)))
        }
        return credits
    }

    /// A return or a cancellation gives back goods' value; a price adjustment or a gesture is goodwill.
    static func storeCreditReason(for reason: CreditReason) -> StoreCreditReason {
        switch reason {
        case .return, .cancellation: .return
        case .priceAdjustment, .goodwill: .goodwill
        }
    }

    /// The overpayment to report now, if any: once the order is fully invoiced, money not
    /// applied beyond the tolerance, not reported yet at this amount, and overpaid for the
    /// rules' wait (see `OverpaymentWait`); anything else ends the wait.
    private mutating func reportOverpayment(
        unapplied: Int64, captures: [Int], refunds: [Int], rules: PaymentLettererRules, at now: Instant
    ) throws(SchemaError) -> LettererCase? {
        guard let currency, let orderTotal, orderTotal.currency == currency else { return notOverpaid() }
        let invoiced = try Money.sum(invoices.filter { !$0.excluded }.map(\.amount), in: currency)
        // Until the invoices reach the order's total, money not yet applied waits for the next invoice.
        guard invoiced.amount >= orderTotal.amount else { return notOverpaid() }
        let excess = Money(amount: unapplied, currency: currency)
        guard excess.amount > (try rules.tolerance(in: currency)).amount else {
            reportedOverpayment = nil
            return notOverpaid()
        }
        guard reportedOverpayment != excess else { return notOverpaid() }
        guard overpaymentWaitRanOut(at: now, minutes: rules.overpaymentWaitMinutes) else { return nil }
        reportedOverpayment = excess
        overpaidSince = nil
        let paid = try Money.sum(captures.map { payments[$0].amount }, in: currency)
            .subtracting(Money.sum(refunds.map { payments[$0].amount }, in: currency))
        let counted = (captures + refunds).map { payments[$0].occurredAt } + invoices.filter { !$0.excluded }.map(\.issuedAt)
        guard let at = counted.max() else { return nil }
        return .overpayment(excess: excess, invoiced: invoiced, paid: paid, at: at)
    }
}
