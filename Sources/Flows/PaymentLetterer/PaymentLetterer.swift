import BusSchema

/// payment-letterer: site payments to ERP receipts, lettered against the ERP's invoices.
///
/// Reads `shop.payments`, `erp.invoices` and `erp.sales-orders` (for the buyer's ERP account
/// and the order's total), co-partitioned by order number; keeps one `OrderAccount` per order.
/// A payment is posted as a receipt as soon as the order's account is known, once per
/// provider reference; invoices are lettered against captures and credit notes refunded to
/// the original payment against refunds; store credit is issued for credit notes refunded that
/// way; overpayments beyond the tolerance (after a wait, `OverpaymentWait`), conflicting
/// repeats and currency mismatches go to `bus.exceptions`.
///
/// Idempotent under redelivery: an input already in the state is a repeat and produces
/// nothing. Output content depends on facts only (ids from payment ids and document numbers,
/// times from the messages), so a repeat, in any interleaving of the inputs, writes the same.
public struct PaymentLetterer: Flow {
    /// Per order number its account; per credit code (`credit:<code>`) its balance.
    public typealias State = LettererState

    /// "payment-letterer".
    public let name = WorkerName.paymentLetterer.rawValue
    /// `shop.payments`, `erp.invoices`, `erp.sales-orders`, and the internal re-keying topic
    /// between orders and credit balances.
    public let inputs = [Topics.shopPayments, Topics.erpInvoices, Topics.erpSalesOrders, CreditRoute.topic]
    /// The rules this instance applies.
    public let rules: PaymentLettererRules
    /// The secret store credit and gift card codes are keyed with; nil: codes derived from the
    /// facts alone, which anyone knowing a credit note or order number can compute (for
    /// development and tests; the worker warns at start).
    public let creditCodeSecret: CreditCodeSecret?

    /// A flow applying `rules`, keying credit codes with `creditCodeSecret`.
    public init(rules: PaymentLettererRules = .defaults, creditCodeSecret: CreditCodeSecret? = nil) {
        self.rules = rules
        self.creditCodeSecret = creditCodeSecret
    }

    /// Takes in one payment, invoice, credit note, sales order or whole-order cancellation and
    /// returns, in this order: receipts, store credit and gift cards (each also forwarded to its
    /// code's balance), spends forwarded to their balances, lettering entries, payment offsets,
    /// the site's view of invoices, refund proposals and exceptions. Other messages of these
    /// topics (line cancellations, return requests) say nothing about money and produce nothing.
    /// On the internal topic it opens balances, decides spends and applies decisions.
    /// Throws a `FlowRejection`, in defence of the schema's own check, when a payment field
    /// that is copied to the ERP looks like a card number. The runtime has checked that the
    /// order number is the record key of the outside topics.
    public func handle(_ input: FlowInput, state: inout FlowState<LettererState>, tables: any TableLookup) throws -> [FlowOutput] {
        if input.topic == CreditRoute.topic, input.message(as: StoreCreditDecision.self) == nil {
            return try judgeAtBalance(input, state: &state)
        }
        let order: OrderNumber
        var account: OrderAccount
        let recorded: Recorded
        switch input.message {
        case let payment as SitePayment:
            order = payment.orderNumber
            try Self.screenForCardNumbers(payment)
            account = state[account: order] ?? OrderAccount()
            recorded = account.record(payment)
        case let invoice as ERPInvoice:
            order = invoice.orderNumber
            account = state[account: order] ?? OrderAccount()
            recorded = account.record(invoice)
        case let note as ERPCreditNote:
            order = note.orderNumber
            account = state[account: order] ?? OrderAccount()
            recorded = account.record(note)
        case let salesOrder as ERPSalesOrder:
            order = salesOrder.externalReference
            account = state[account: order] ?? OrderAccount()
            recorded = account.record(salesOrder, rules: rules)
        case let cancellation as ERPSalesOrderCancellation:
            order = cancellation.externalReference
            // An order never seen here has no money to close.
            guard let known = state[account: order] else { return [] }
            account = known
            recorded = try account.record(cancellation)
        case let decision as StoreCreditDecision:
            order = decision.orderNumber
            guard input.key == order.rawValue else { throw misrouted(input) }
            guard let known = state[account: order] else { return [] }
            account = known
            recorded = account.record(decision)
        default:
            return []
        }

        if let late = forgottenCase(input, known: state[order.rawValue] != nil, clock: state.clock) {
            return [exception(late, order: order, cause: input.envelope)]
        }
        account.lastEventAt = max(account.lastEventAt ?? input.envelope.time, input.envelope.time)
        switch recorded {
        case .repeated:
            return []
        case .conflict(let subject):
            guard !account.reportedConflicts.contains(subject) else { return [] }
            account.reportedConflicts.append(subject)
            state[account: order] = account
            return [exception(.conflict(subject: subject), order: order, cause: input.envelope)]
        case .new:
            // The partition's clock, which an overpayment's wait counts on (`OverpaymentWait`).
            let now = max(state.clock ?? input.envelope.time, input.envelope.time)
            let settlement = try account.settle(order: order, rules: rules, secret: creditCodeSecret, at: now)
            state[account: order] = account
            return outputs(settlement, order: order, cause: input.envelope)
        }
    }

    /// A record on the internal topic keyed by a credit code: credit issued opens the code's
    /// balance (once), a spend is decided against it and the decision goes to the site and
    /// back to the paying order.
    private func judgeAtBalance(_ input: FlowInput, state: inout FlowState<LettererState>) throws -> [FlowOutput] {
        let code = CreditCode(input.key ?? "")
        guard code.isWellFormed else {
            throw FlowRejection(field: nil, reason: "a credit record on \(CreditRoute.topic) must be keyed by its SC- or GC- code")
        }
        switch input.message {
        case let credit as StoreCreditIssued:
            guard credit.code == code else { throw misrouted(input) }
            guard state[balance: code] == nil else { return [] }
            state[balance: code] = CreditBalance(code: code, issued: credit.amount, expiresOn: credit.expiresOn, origin: credit.orderNumber, at: credit.issuedAt)
            return []
        case let card as GiftCardIssued:
            guard card.code == code else { throw misrouted(input) }
            guard state[balance: code] == nil else { return [] }
            state[balance: code] = CreditBalance(code: code, issued: card.amount, expiresOn: card.expiresOn, origin: card.orderNumber, at: card.issuedAt)
            return []
        case let spend as StoreCreditSpend:
            guard spend.code == code else { throw misrouted(input) }
            let decision: StoreCreditDecision
            if var balance = state[balance: code] {
                guard let decided = balance.decide(spend) else { return [] }
                state[balance: code] = balance
                decision = decided
            } else {
                decision = CreditBalance.unknown(spend)
            }
            return [FlowOutput(topic: Topics.shopStoreCredits, key: spend.orderNumber.rawValue, message: decision, effectID: decision.decisionID), CreditRoute.toOrder(decision)]
        default:
            throw misrouted(input)
        }
    }

    private func misrouted(_ input: FlowInput) -> FlowRejection {
        FlowRejection(field: nil, reason: "a \(input.envelope.type) message does not belong under this \(CreditRoute.topic) key")
    }

    /// Every output names its effect (`FlowOutput.effectID`, one rule per message type, on
    /// `erp.lettering` too, which is not compacted): the receipt by its payment, store credit by
    /// its credit note, a gift card by its order line and unit, a lettering entry by its
    /// document and the number of payments matched, an offset by the payments matched, a
    /// refund proposal and an exception by their case. Whichever input settled the account, on
    /// any replay, an effect then has one `ce_id`. `cause`: the input, or the timer, that settled it.
    func outputs(_ settlement: Settlement, order: OrderNumber, cause: Envelope) -> [FlowOutput] {
        let key = order.rawValue
        var outputs = settlement.receipts.map { FlowOutput(topic: Topics.erpReceipts, key: key, message: $0, effectID: $0.receiptID) }
        for credit in settlement.storeCredits {
            outputs.append(FlowOutput(topic: Topics.erpLettering, key: key, message: credit, effectID: credit.storeCreditID))
            if let code = credit.code { outputs.append(CreditRoute.toBalance(code, credit, effectID: credit.storeCreditID)) }
        }
        for card in settlement.giftCards {
            outputs += [FlowOutput(topic: Topics.erpLettering, key: key, message: card, effectID: card.giftCardID),
                        CreditRoute.toBalance(card.code, card, effectID: card.giftCardID)]
        }
        outputs += settlement.spends.map { CreditRoute.toBalance($0.code, $0, effectID: EventID.fromFacts("spend", [$0.code.rawValue, $0.paymentID.rawValue])) }
        outputs += settlement.entries.map { FlowOutput(topic: Topics.erpLettering, key: key, message: $0, effectID: $0.letteringID) }
        outputs += settlement.offsets.map { FlowOutput(topic: Topics.erpLettering, key: key, message: $0, effectID: $0.offsetID) }
        outputs += settlement.accountInvoices.map { FlowOutput(topic: Topics.shopAccountInvoices, key: $0.invoiceNumber.rawValue, message: $0) }
        outputs += settlement.proposals.map { FlowOutput(topic: Topics.erpLettering, key: key, message: $0, effectID: $0.proposalID) }
        outputs += settlement.cases.map { exception($0, order: order, cause: cause) }
        return outputs
    }

    /// The exception for `found`. A case found by settling the account (an overpayment, a
    /// currency mismatch) is a fact of the account, whichever input completed it: no cause
    /// event, dated by its facts. A conflict or a forgotten order is about the input itself.
    private func exception(_ found: LettererCase, order: OrderNumber, cause: Envelope) -> FlowOutput {
        let exception = LettererException.make(found, order: order, causeEventID: found.factsAt == nil ? cause.id : nil,
                                               raisedAt: found.factsAt ?? cause.time)
        return FlowOutput(topic: Topics.exceptions, key: order.rawValue, message: exception, effectID: exception.exceptionID)
    }

    /// Defence in depth: the schema refuses card numbers before a flow sees a message; should
    /// one get through, it must still not reach an ERP topic. The reason names the field only.
    static func screenForCardNumbers(_ payment: SitePayment) throws {
        let copied: [(field: String, text: String?)] = [
            ("$.payment_id", payment.paymentID.rawValue), ("$.provider_reference", payment.providerReference), ("$.provider", payment.provider?.rawValue),
        ]
        for (field, text) in copied {
            guard let text, CardNumberDetector.containsCardNumber(text) else { continue }
            throw FlowRejection(field: field, reason: "looks like a payment card number, which must never reach the ERP")
        }
    }
}
