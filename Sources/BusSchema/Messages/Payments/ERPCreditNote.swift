/// A credit note issued by the ERP against an invoice (topic `erp.invoices`, key: the order number).
public struct ERPCreditNote: BusMessage {
    /// "erp.credit-note".
    public static let messageType = "erp.credit-note"
    /// Version 1.
    public static let schemaVersion = 1
    /// A credit note issued by the ERP against an invoice.
    public static let summary = "A credit note issued by the ERP against an invoice."

    /// The credit note number.
    public var creditNoteNumber: CreditNoteNumber
    /// The invoice it credits.
    public var invoiceNumber: InvoiceNumber
    /// The site order; the record key.
    public var orderNumber: OrderNumber
    /// The ERP account credited.
    public var accountCode: ERPAccountCode
    /// The currency.
    public var currency: Currency
    /// Total excluding tax.
    public var totalExclTax: Money
    /// Tax.
    public var totalTax: Money
    /// Total including tax: what the customer is owed.
    public var totalInclTax: Money
    /// Why.
    public var reason: CreditReason
    /// How the customer gets the money back.
    public var refundMethod: RefundMethod
    /// The return it settles, if any.
    public var returnNumber: ReturnNumber?
    /// When it was issued.
    public var issuedAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        creditNoteNumber: CreditNoteNumber,
        invoiceNumber: InvoiceNumber,
        orderNumber: OrderNumber,
        accountCode: ERPAccountCode,
        currency: Currency,
        totalExclTax: Money,
        totalTax: Money,
        totalInclTax: Money,
        reason: CreditReason,
        refundMethod: RefundMethod,
        returnNumber: ReturnNumber? = nil,
        issuedAt: Instant
    ) {
        self.creditNoteNumber = creditNoteNumber
        self.invoiceNumber = invoiceNumber
        self.orderNumber = orderNumber
        self.accountCode = accountCode
        self.currency = currency
        self.totalExclTax = totalExclTax
        self.totalTax = totalTax
        self.totalInclTax = totalInclTax
        self.reason = reason
        self.refundMethod = refundMethod
        self.returnNumber = returnNumber
        self.issuedAt = issuedAt
    }

    private enum CodingKeys: String, CodingKey {
        case creditNoteNumber = "credit_note_number"
        case invoiceNumber = "invoice_number"
        case orderNumber = "order_number"
        case accountCode = "account_code"
        case currency
        case totalExclTax = "total_excl_tax"
        case totalTax = "total_tax"
        case totalInclTax = "total_incl_tax"
        case reason
        case refundMethod = "refund_method"
        case returnNumber = "return_number"
        case issuedAt = "issued_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("credit_note_number", .ref(.creditNoteNumber), "The credit note number."),
        .required("invoice_number", .ref(.invoiceNumber), "The invoice it credits."),
        .required("order_number", .ref(.orderNumber), "The site order; the record key."),
        .required("account_code", .ref(.erpAccountCode), "The ERP account credited."),
        .required("currency", .ref(.currencyCode), "The currency."),
        .required("total_excl_tax", .money(.nonNegative), "Total excluding tax."),
        .required("total_tax", .money(.nonNegative), "Tax."),
        .required("total_incl_tax", .money(.nonNegative), "Total including tax: what the customer is owed."),
        .required("reason", .oneOf(CreditReason.self), "Why."),
        .required("refund_method", .oneOf(RefundMethod.self), "How the customer gets the money back."),
        .optional("return_number", .ref(.returnNumber), "The return it settles, if any."),
        .required("issued_at", .instant, "When it was issued.")
    )

    /// Totals are in the credit note currency and add up.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.currency(totalExclTax, currency, root.key("total_excl_tax"))
        check.currency(totalTax, currency, root.key("total_tax"))
        check.currency(totalInclTax, currency, root.key("total_incl_tax"))
        check.total(totalInclTax, plus: [totalExclTax, totalTax], root.key("total_incl_tax"), "total_excl_tax + total_tax must equal total_incl_tax")
        return check.problems
    }
}

/// Why a credit note is issued.
public enum CreditReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// Articles were returned.
    case `return` = "return"
    /// Invoiced lines were cancelled.
    case cancellation
    /// A price was corrected.
    case priceAdjustment = "price_adjustment"
    /// A commercial gesture.
    case goodwill
}
