/// An invoice issued by the ERP for an order (topic `erp.invoices`, key: the order number).
public struct ERPInvoice: BusMessage {
    /// "erp.invoice".
    public static let messageType = "erp.invoice"
    /// Version 1.
    public static let schemaVersion = 1
    /// An invoice issued by the ERP for an order.
    public static let summary = "An invoice issued by the ERP for an order."

    /// The invoice number.
    public var invoiceNumber: InvoiceNumber
    /// The site order invoiced; the record key.
    public var orderNumber: OrderNumber
    /// The ERP account invoiced.
    public var accountCode: ERPAccountCode
    /// The invoice currency.
    public var currency: Currency
    /// Total excluding tax.
    public var totalExclTax: Money
    /// Tax.
    public var totalTax: Money
    /// Total including tax: what the customer owes.
    public var totalInclTax: Money
    /// When it was issued.
    public var issuedAt: Instant
    /// When payment is due.
    public var dueOn: LocalDate
    /// Where the PDF can be fetched.
    public var documentURL: String?

    /// A value with every field given; optional fields default to absent.
    public init(
        invoiceNumber: InvoiceNumber,
        orderNumber: OrderNumber,
        accountCode: ERPAccountCode,
        currency: Currency,
        totalExclTax: Money,
        totalTax: Money,
        totalInclTax: Money,
        issuedAt: Instant,
        dueOn: LocalDate,
        documentURL: String? = nil
    ) {
        self.invoiceNumber = invoiceNumber
        self.orderNumber = orderNumber
        self.accountCode = accountCode
        self.currency = currency
        self.totalExclTax = totalExclTax
        self.totalTax = totalTax
        self.totalInclTax = totalInclTax
        self.issuedAt = issuedAt
        self.dueOn = dueOn
        self.documentURL = documentURL
    }

    private enum CodingKeys: String, CodingKey {
        case invoiceNumber = "invoice_number"
        case orderNumber = "order_number"
        case accountCode = "account_code"
        case currency
        case totalExclTax = "total_excl_tax"
        case totalTax = "total_tax"
        case totalInclTax = "total_incl_tax"
        case issuedAt = "issued_at"
        case dueOn = "due_on"
        case documentURL = "document_url"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("invoice_number", .ref(.invoiceNumber), "The invoice number."),
        .required("order_number", .ref(.orderNumber), "The site order invoiced; the record key."),
        .required("account_code", .ref(.erpAccountCode), "The ERP account invoiced."),
        .required("currency", .ref(.currencyCode), "The invoice currency."),
        .required("total_excl_tax", .money(.nonNegative), "Total excluding tax."),
        .required("total_tax", .money(.nonNegative), "Tax."),
        .required("total_incl_tax", .money(.nonNegative), "Total including tax: what the customer owes."),
        .required("issued_at", .instant, "When it was issued."),
        .required("due_on", .date, "When payment is due."),
        .optional("document_url", .ref(.url), "Where the PDF can be fetched.")
    )

    /// Totals are in the invoice currency and add up.
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
