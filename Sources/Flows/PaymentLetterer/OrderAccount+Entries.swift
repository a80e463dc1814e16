import BusSchema

extension OrderAccount {
    /// The whole lettering of `invoice` so far: the invoice for its total, the captures applied
    /// to it, and what it still owes. It replaces any earlier entry for the same invoice; its id
    /// ends with the number of payments, so each growth has its own id and a repeat the same.
    func entry(order: OrderNumber, invoice: KnownInvoice, pieces: [Allocation.Piece]) throws(SchemaError) -> LetteringEntry {
        let lettered = pieces.map { LetteredPayment(receiptID: Self.receiptID(of: payments[$0.credit].paymentID), amount: money($0, like: invoice.amount)) }
        let remainder = try invoice.amount.subtracting(Money.sum(lettered.map(\.amount), in: invoice.amount.currency))
        return LetteringEntry(
            letteringID: EventID.fromFacts("let", [order.rawValue, invoice.number.rawValue, String(pieces.count)]),
            accountCode: invoice.accountCode, orderNumber: order, currency: invoice.amount.currency,
            invoices: [LetteredInvoice(invoiceNumber: invoice.number, amount: invoice.amount)],
            creditNotes: [], payments: lettered, remainder: remainder,
            status: remainder.amount == 0 ? .fullyLettered : .partiallyLettered,
            letteredAt: latest(invoice.issuedAt, pieces))
    }

    /// The whole lettering of a credit note refunded to the original payment: the credit note
    /// for its total, the refunds matched to it, and (negative) what is still to be paid back.
    func entry(order: OrderNumber, note: KnownCreditNote, pieces: [Allocation.Piece]) throws(SchemaError) -> LetteringEntry {
        let refunds = pieces.map { LetteredPayment(receiptID: Self.receiptID(of: payments[$0.credit].paymentID), amount: money($0, like: note.amount)) }
        let remainder = try Money.sum(refunds.map(\.amount), in: note.amount.currency).subtracting(note.amount)
        return LetteringEntry(
            letteringID: EventID.fromFacts("let", [order.rawValue, note.number.rawValue, String(pieces.count)]),
            accountCode: note.accountCode, orderNumber: order, currency: note.amount.currency,
            invoices: [], creditNotes: [LetteredCreditNote(creditNoteNumber: note.number, amount: note.amount)],
            payments: [], refunds: refunds, remainder: remainder,
            status: remainder.amount == 0 ? .fullyLettered : .partiallyLettered,
            letteredAt: latest(note.issuedAt, pieces))
    }

    private func money(_ piece: Allocation.Piece, like document: Money) -> Money {
        Money(amount: piece.amount, currency: document.currency)
    }

    /// When the match became possible: the latest of the document and its payments. Taken from
    /// the data, never the clock, so that a replay writes the same entry.
    func latest(_ issuedAt: Instant, _ pieces: [Allocation.Piece]) -> Instant {
        pieces.map { payments[$0.credit].occurredAt }.reduce(issuedAt) { max($0, $1) }
    }
}
