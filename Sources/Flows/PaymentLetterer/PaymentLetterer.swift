import BusSchema

/// payment-letterer: site payments to ERP receipts, lettered against the ERP's invoices.
///
/// Reads `shop.payments`, `erp.invoices` and `erp.sales-orders` (for the buyer's ERP account
/// and the order's total), co-partitioned by order number; keeps one `OrderAccount` per order.
/// A payment is posted as a receipt as soon as the order's account is known, once per
/// provider reference; invoices are lettered against captures and credit notes refunded to
/// the original payment against refunds; store credit is issued for credit notes refunded that
/// way; overpayments beyond the tolerance, conflicting repeats and currency mismatches go to
/// `bus.exceptions`.
///
/// Idempotent under redelivery: an input already in the state is a repeat and produces
/// nothing. Output content depends on facts only (ids from payment ids and document numbers,
/// times from the messages), so a repeat, in any interleaving of the inputs, writes the same.
public struct PaymentLetterer: Flow {
    /// Per order number: payments, invoices, credit notes and what was sent for them.
    public typealias State = OrderAccount

    /// "payment-letterer".
    public let name = WorkerName.paymentLetterer.rawValue
    /// `shop.payments`, `erp.invoices`, `erp.sales-orders`.
    public let inputs = [Topics.shopPayments, Topics.erpInvoices, Topics.erpSalesOrders]
    /// The rules this instance applies.
    public let rules: PaymentLettererRules

    /// A flow applying `rules`.
    public init(rules: PaymentLettererRules = .defaults) {
        self.rules = rules
    }

    /// Takes in one payment, invoice, credit note or sales order and returns, in this order,
    /// receipts, store credit, lettering entries and exceptions. Other messages of these
    /// topics (cancellation and return requests) say nothing about money and produce nothing.
    /// Throws a `FlowRejection`, in defence of the schema's own check, when a payment field
    /// that is copied to the ERP looks like a card number. The runtime has checked that the
    /// order number is the record key.
    public func handle(_ input: FlowInput, state: inout FlowState<OrderAccount>, tables: any TableLookup) throws -> [FlowOutput] {
        let order: OrderNumber
        var account: OrderAccount
        let recorded: Recorded
        switch input.message {
        case let payment as SitePayment:
            order = payment.orderNumber
            try Self.screenForCardNumbers(payment)
            account = state[order.rawValue] ?? OrderAccount()
            recorded = account.record(payment)
        case let invoice as ERPInvoice:
            order = invoice.orderNumber
            account = state[order.rawValue] ?? OrderAccount()
            recorded = account.record(invoice)
        case let note as ERPCreditNote:
            order = note.orderNumber
            account = state[order.rawValue] ?? OrderAccount()
            recorded = account.record(note)
        case let salesOrder as ERPSalesOrder:
            order = salesOrder.externalReference
            account = state[order.rawValue] ?? OrderAccount()
            recorded = account.record(salesOrder)
        default:
            return []
        }

        if let late = forgottenCase(input, known: state[order.rawValue] != nil, clock: state.clock) {
            return [exception(late, order: order, input: input)]
        }
        account.lastEventAt = max(account.lastEventAt ?? input.envelope.time, input.envelope.time)
        switch recorded {
        case .repeated:
            return []
        case .conflict(let subject):
            guard !account.reportedConflicts.contains(subject) else { return [] }
            account.reportedConflicts.append(subject)
            state[order.rawValue] = account
            return [exception(.conflict(subject: subject), order: order, input: input)]
        case .new:
            let settlement = try account.settle(order: order, rules: rules)
            state[order.rawValue] = account
            return outputs(settlement, order: order, input: input)
        }
    }

    private func outputs(_ settlement: Settlement, order: OrderNumber, input: FlowInput) -> [FlowOutput] {
        let key = order.rawValue
        return settlement.receipts.map { FlowOutput(topic: Topics.erpReceipts, key: key, message: $0) }
            + settlement.storeCredits.map { FlowOutput(topic: Topics.erpLettering, key: key, message: $0) }
            + settlement.entries.map { FlowOutput(topic: Topics.erpLettering, key: key, message: $0) }
            + settlement.cases.map { exception($0, order: order, input: input) }
    }

    private func exception(_ found: LettererCase, order: OrderNumber, input: FlowInput) -> FlowOutput {
        let exception = LettererException.make(found, order: order, causeEventID: input.envelope.id, raisedAt: input.envelope.time)
        return FlowOutput(topic: Topics.exceptions, key: order.rawValue, message: exception)
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
