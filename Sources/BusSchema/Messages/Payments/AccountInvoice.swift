/// One invoice of an ERP account with what is still to pay, from payment-letterer (topic
/// `shop.account-invoices`, compacted, key: the invoice number), sent again whenever its
/// lettering changes: a B2B customer's open items on the site's account page.
public struct AccountInvoice: BusMessage, GroupedTableMessage {
    /// "shop.account-invoice".
    public static let messageType = "shop.account-invoice"
    /// Version 1.
    public static let schemaVersion = 1
    /// An account's invoice and its lettering status.
    public static let summary = "An ERP account's invoice with what is paid, what is open and its lettering status."

    /// The invoice; the record key.
    public var invoiceNumber: InvoiceNumber
    /// The ERP account invoiced.
    public var accountCode: ERPAccountCode
    /// The order invoiced.
    public var orderNumber: OrderNumber
    /// Grouped by the order invoiced: a restored partition finds its orders' invoices (`TableLookup.keys(in:group:)`).
    public var tableGroup: String { orderNumber.rawValue }
    /// The invoice's total including tax.
    public var total: Money
    /// What payments lettered against it.
    public var paid: Money
    /// What is still owed: total less paid.
    public var open: Money
    /// open (nothing lettered), partially_lettered or fully_lettered.
    public var status: InvoiceSettlement
    /// When it is due, when the ERP said.
    public var dueOn: LocalDate?
    /// When this picture became true: the invoice's or its latest payment's time.
    public var updatedAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        invoiceNumber: InvoiceNumber, accountCode: ERPAccountCode, orderNumber: OrderNumber, total: Money, paid: Money, open: Money,
        status: InvoiceSettlement, dueOn: LocalDate? = nil, updatedAt: Instant
    ) {
        self.invoiceNumber = invoiceNumber
        self.accountCode = accountCode
        self.orderNumber = orderNumber
        self.total = total
        self.paid = paid
        self.open = open
        self.status = status
        self.dueOn = dueOn
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case invoiceNumber = "invoice_number"
        case accountCode = "account_code"
        case orderNumber = "order_number"
        case total
        case paid
        case open
        case status
        case dueOn = "due_on"
        case updatedAt = "updated_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("invoice_number", .ref(.invoiceNumber), "The invoice; the record key."),
        .required("account_code", .ref(.erpAccountCode), "The ERP account invoiced."),
        .required("order_number", .ref(.orderNumber), "The order invoiced."),
        .required("total", .money(.nonNegative), "The invoice's total including tax."),
        .required("paid", .money(.nonNegative), "What payments lettered against it."),
        .required("open", .money(.nonNegative), "What is still owed: total less paid."),
        .required("status", .oneOf(InvoiceSettlement.self), "open (nothing lettered), partially_lettered or fully_lettered."),
        .optional("due_on", .date, "When it is due, when the ERP said."),
        .required("updated_at", .instant, "When this picture became true.")
    )

    /// Paid and open add up to the total, in its currency, and the status follows them.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.currency(paid, total.currency, root.key("paid"))
        check.currency(open, total.currency, root.key("open"))
        check.total(total, plus: [paid, open], root.key("total"), "paid + open must equal total")
        check.expect(status == InvoiceSettlement(paid: paid.amount, open: open.amount), root.key("status"),
                     .inconsistent(rule: "status is open when nothing is paid, fully_lettered when nothing is open, else partially_lettered"))
        return check.problems
    }
}

/// How far an invoice is paid.
public enum InvoiceSettlement: String, Codable, Sendable, Hashable, CaseIterable {
    /// Nothing lettered yet.
    case open
    /// Partly paid.
    case partiallyLettered = "partially_lettered"
    /// Paid in full.
    case fullyLettered = "fully_lettered"

    /// The status of an invoice with `paid` lettered and `open` still owed (minor units).
    public init(paid: Int64, open: Int64) {
        self = open <= 0 ? .fullyLettered : (paid > 0 ? .partiallyLettered : .open)
    }
}
