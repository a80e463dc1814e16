import BusSchema

/// What taking in one input did to an order's account.
public enum Recorded: Sendable, Equatable {
    /// Something new was learnt: the account must be settled again.
    case new
    /// Already known, with the same content (a redelivery or a repeat): nothing to do.
    case repeated
    /// Already known under the same identity with other content: a person must look.
    /// The text names what (`payment pay_1`), never amounts or personal data.
    case conflict(subject: String)
}

extension OrderAccount {
    /// Takes in a site payment. A payment id already known, or a provider reference already
    /// known for the same kind (capture or refund), is a repeat when the content agrees and a
    /// conflict otherwise: either way no second receipt.
    public mutating func record(_ payment: SitePayment) -> Recorded {
        let known = payments.first { $0.paymentID == payment.paymentID }
            ?? payments.first { $0.kind == payment.kind && $0.providerReference == payment.providerReference }
        if let known {
            return known.sameAs(payment) ? .repeated : .conflict(subject: "payment \(payment.paymentID)")
        }
        payments.append(KnownPayment(payment))
        return .new
    }

    /// Takes in an invoice; the same number again is a repeat, or a conflict if it differs.
    public mutating func record(_ invoice: ERPInvoice) -> Recorded {
        if let known = invoices.first(where: { $0.number == invoice.invoiceNumber }) {
            return known.amount == invoice.totalInclTax && known.accountCode == invoice.accountCode
                ? .repeated : .conflict(subject: "invoice \(invoice.invoiceNumber)")
        }
        invoices.append(KnownInvoice(invoice))
        adopt(account: invoice.accountCode, currency: invoice.currency)
        return .new
    }

    /// Takes in a credit note; the same number again is a repeat, or a conflict if it differs.
    public mutating func record(_ note: ERPCreditNote) -> Recorded {
        if let known = creditNotes.first(where: { $0.number == note.creditNoteNumber }) {
            return known.amount == note.totalInclTax && known.refundMethod == note.refundMethod
                ? .repeated : .conflict(subject: "credit note \(note.creditNoteNumber)")
        }
        creditNotes.append(KnownCreditNote(note))
        adopt(account: note.accountCode, currency: note.currency)
        return .new
    }

    /// Takes in a sales order revision: its buyer and currency if none is known yet, and its
    /// total if it is the latest revision. An older or repeated revision is a repeat.
    public mutating func record(_ salesOrder: ERPSalesOrder, rules: PaymentLettererRules) -> Recorded {
        guard salesOrder.revision > orderRevision else { return .repeated }
        orderRevision = salesOrder.revision
        orderTotal = salesOrder.totals.totalInclTax
        // A new revision already leaves out what earlier line cancellations took off.
        lines = salesOrder.lines.map { PricedLine(lineNumber: $0.lineNumber, quantity: $0.quantity, total: $0.totalInclTax ?? $0.totalExclTax) }
        adopt(account: salesOrder.soldTo, currency: salesOrder.currency)
        if !(giftCards ?? []).contains(where: \.issued) {
            let units = salesOrder.lines.filter { rules.isGiftCard($0.sku) }.flatMap(Self.giftCardUnits)
            giftCards = units.isEmpty ? nil : units
        }
        return .new
    }

    /// Takes in a cancellation: of the whole order, or of the lines it names, whose share
    /// (each line's total in proportion to the quantity cancelled, half-up to the cent) comes
    /// off the order's total, so that the invoices for less settle it and a capture for more
    /// is an overpayment. order-ingest sends no new revision for a line cancellation; the next
    /// revision it sends for another change leaves the lines out itself.
    public mutating func record(_ cancellation: ERPSalesOrderCancellation) throws(SchemaError) -> Recorded {
        guard !cancellation.lines.isEmpty else {
            guard cancelledAt == nil else { return .repeated }
            cancelledAt = cancellation.requestedAt
            return .new
        }
        guard !(lineCancellations ?? []).contains(cancellation.requestID), var lines, let total = orderTotal else { return .repeated }
        var takenOff: Int64 = 0
        for cancelled in cancellation.lines {
            guard let index = lines.firstIndex(where: { $0.lineNumber == cancelled.lineNumber }), lines[index].quantity > .zero else { continue }
            let line = lines[index]
            let left = max(try line.quantity.subtracting(cancelled.quantity), .zero)
            let kept = try line.total.scaled(from: line.quantity, to: left)
            takenOff += try line.total.subtracting(kept).amount
            lines[index] = PricedLine(lineNumber: line.lineNumber, quantity: left, total: kept)
        }
        self.lines = lines
        lineCancellations = (lineCancellations ?? []) + [cancellation.requestID]
        orderTotal = try total.subtracting(Money(amount: takenOff, currency: total.currency))
        return .new
    }

    /// Takes in the balance's answer to a spend of this order; a decision already applied, or
    /// for a payment this order does not await, is a repeat.
    public mutating func record(_ decision: StoreCreditDecision) -> Recorded {
        guard let index = payments.firstIndex(where: { $0.paymentID == decision.paymentID }), payments[index].spend == .awaiting else { return .repeated }
        payments[index].spend = decision.outcome == .accepted ? .accepted : .refused
        return .new
    }

    /// One gift card per unit of a line of whole units, each for the line's total divided by
    /// its quantity; a line of a fractional quantity or a total that does not divide evenly is
    /// one gift card for the line's total.
    static func giftCardUnits(_ line: ERPSalesOrderLine) -> [GiftCardUnit] {
        let total = line.totalInclTax ?? line.totalExclTax
        guard total.amount > 0 else { return [] }
        let quantity = line.quantity.value
        let wholeUnits = try? quantity.rounded(toScale: 0, .down)
        let count = wholeUnits.map { $0 == quantity ? $0.significand : 1 } ?? 1
        let whole = count > 0 && count <= 100 && total.amount % count == 0
        let units = whole ? Int(count) : 1
        let each = Money(amount: total.amount / Int64(units), currency: total.currency)
        return (1...units).map { GiftCardUnit(sku: line.sku, lineNumber: line.lineNumber, unit: $0, amount: each) }
    }

    /// The first account and currency known stay: receipts already posted name that account.
    private mutating func adopt(account: ERPAccountCode, currency: Currency) {
        if accountCode == nil { accountCode = account }
        if self.currency == nil { self.currency = currency }
    }
}
