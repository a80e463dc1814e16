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
    public mutating func record(_ salesOrder: ERPSalesOrder) -> Recorded {
        guard salesOrder.revision > orderRevision else { return .repeated }
        orderRevision = salesOrder.revision
        orderTotal = salesOrder.totals.totalInclTax
        adopt(account: salesOrder.soldTo, currency: salesOrder.currency)
        return .new
    }

    /// The first account and currency known stay: receipts already posted name that account.
    private mutating func adopt(account: ERPAccountCode, currency: Currency) {
        if accountCode == nil { accountCode = account }
        if self.currency == nil { self.currency = currency }
    }
}
