/// Matches an order's invoices and credit notes with its payments, from payment-letterer (topic `erp.lettering`, key: the order number).
/// The remainder is what the customer still owes (negative: overpaid); refunds paid back to the customer count as owed again.
public struct LetteringEntry: BusMessage {
    /// "erp.lettering-entry".
    public static let messageType = "erp.lettering-entry"
    /// Version 1.
    public static let schemaVersion = 1
    /// Matches invoices and credit notes with payments.
    public static let summary = "Matches invoices and credit notes with payments."

    /// The entry's id.
    public var letteringID: EventID
    /// The ERP account.
    public var accountCode: ERPAccountCode
    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// The currency of every amount.
    public var currency: Currency
    /// Invoices matched, with the amount of each matched.
    public var invoices: [LetteredInvoice]
    /// Credit notes matched.
    public var creditNotes: [LetteredCreditNote]
    /// Receipts matched.
    public var payments: [LetteredPayment]
    /// Refunds (disbursements) matched, such as a credit note's refund; absent when none.
    public var refunds: [LetteredPayment]?
    /// Invoices + refunds - credit notes - payments: still owed (negative: overpaid).
    public var remainder: Money
    /// fully_lettered when the remainder is zero.
    public var status: LetteringStatus
    /// When the match was made.
    public var letteredAt: Instant

    /// A value with every field given.
    public init(
        letteringID: EventID,
        accountCode: ERPAccountCode,
        orderNumber: OrderNumber,
        currency: Currency,
        invoices: [LetteredInvoice],
        creditNotes: [LetteredCreditNote],
        payments: [LetteredPayment],
        refunds: [LetteredPayment]? = nil,
        remainder: Money,
        status: LetteringStatus,
        letteredAt: Instant
    ) {
        self.letteringID = letteringID
        self.accountCode = accountCode
        self.orderNumber = orderNumber
        self.currency = currency
        self.invoices = invoices
        self.creditNotes = creditNotes
        self.payments = payments
        self.refunds = refunds
        self.remainder = remainder
        self.status = status
        self.letteredAt = letteredAt
    }

    private enum CodingKeys: String, CodingKey {
        case letteringID = "lettering_id"
        case accountCode = "account_code"
        case orderNumber = "order_number"
        case currency
        case invoices
        case creditNotes = "credit_notes"
        case payments
        case refunds
        case remainder
        case status
        case letteredAt = "lettered_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("lettering_id", .ref(.eventID), "The entry's id."),
        .required("account_code", .ref(.erpAccountCode), "The ERP account."),
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .required("currency", .ref(.currencyCode), "The currency of every amount."),
        .required("invoices", .list(LetteredInvoice.schema), "Invoices matched, with the amount of each matched."),
        .required("credit_notes", .list(LetteredCreditNote.schema), "Credit notes matched."),
        .required("payments", .list(LetteredPayment.schema), "Receipts matched."),
        .optional("refunds", .list(LetteredPayment.schema), "Refunds (disbursements) matched, such as a credit note's refund; absent when none."),
        .required("remainder", .money(.any), "Invoices + refunds - credit notes - payments: still owed (negative: overpaid)."),
        .required("status", .oneOf(LetteringStatus.self), "fully_lettered when the remainder is zero."),
        .required("lettered_at", .instant, "When the match was made.")
    )

    /// At least one document; amounts in one currency; the remainder is invoices + refunds - credit notes - payments; fully_lettered exactly when it is zero.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.expect(!invoices.isEmpty || !creditNotes.isEmpty, root.key("invoices"), .empty)
        for (index, item) in invoices.enumerated() { check.currency(item.amount, currency, root.key("invoices").index(index).key("amount")) }
        for (index, item) in creditNotes.enumerated() { check.currency(item.amount, currency, root.key("credit_notes").index(index).key("amount")) }
        for (index, item) in payments.enumerated() { check.currency(item.amount, currency, root.key("payments").index(index).key("amount")) }
        for (index, item) in (refunds ?? []).enumerated() { check.currency(item.amount, currency, root.key("refunds").index(index).key("amount")) }
        check.currency(remainder, currency, root.key("remainder"))
        check.total(remainder, plus: invoices.map(\.amount) + (refunds ?? []).map(\.amount), minus: creditNotes.map(\.amount) + payments.map(\.amount),
                    root.key("remainder"), "remainder must equal invoices + refunds - credit notes - payments")
        check.expect((status == .fullyLettered) == (remainder.amount == 0), root.key("status"),
                     .inconsistent(rule: "status is fully_lettered exactly when the remainder is zero"))
        return check.problems
    }
}

/// An invoice in a lettering entry.
public struct LetteredInvoice: Codable, Sendable, Hashable {
    /// The invoice.
    public var invoiceNumber: InvoiceNumber
    /// The amount of it matched.
    public var amount: Money

    /// A value with every field given.
    public init(invoiceNumber: InvoiceNumber, amount: Money) {
        self.invoiceNumber = invoiceNumber
        self.amount = amount
    }

    private enum CodingKeys: String, CodingKey {
        case invoiceNumber = "invoice_number"
        case amount
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("invoice_number", .ref(.invoiceNumber), "The invoice."),
        .required("amount", .money(.positive), "The amount of it matched.")
    )
}

/// A credit note in a lettering entry.
public struct LetteredCreditNote: Codable, Sendable, Hashable {
    /// The credit note.
    public var creditNoteNumber: CreditNoteNumber
    /// The amount of it matched.
    public var amount: Money

    /// A value with every field given.
    public init(creditNoteNumber: CreditNoteNumber, amount: Money) {
        self.creditNoteNumber = creditNoteNumber
        self.amount = amount
    }

    private enum CodingKeys: String, CodingKey {
        case creditNoteNumber = "credit_note_number"
        case amount
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("credit_note_number", .ref(.creditNoteNumber), "The credit note."),
        .required("amount", .money(.positive), "The amount of it matched.")
    )
}

/// A receipt in a lettering entry.
public struct LetteredPayment: Codable, Sendable, Hashable {
    /// The receipt.
    public var receiptID: EventID
    /// The amount of it matched.
    public var amount: Money

    /// A value with every field given.
    public init(receiptID: EventID, amount: Money) {
        self.receiptID = receiptID
        self.amount = amount
    }

    private enum CodingKeys: String, CodingKey {
        case receiptID = "receipt_id"
        case amount
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("receipt_id", .ref(.eventID), "The receipt."),
        .required("amount", .money(.positive), "The amount of it matched.")
    )
}

/// Whether an order's account is settled.
public enum LetteringStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Nothing is owed either way.
    case fullyLettered = "fully_lettered"
    /// Something is still owed, or was overpaid.
    case partiallyLettered = "partially_lettered"
}
