import BusSchema

/// Everything the payment-letterer knows of one order: the state kept per order number.
///
/// Lists keep arrival order: payments as `shop.payments` delivered them, invoices and
/// credit notes as `erp.invoices` did. Each list comes from one topic partition, so its
/// order is the same on every replay, whatever the interleaving of the two topics; the
/// lettering depends on these orders only.
public struct OrderAccount: Codable, Sendable, Equatable {
    /// The ERP account receipts are booked on: the sales order's buyer, else the first invoice's
    /// or credit note's account. Nil until one of them arrives.
    public var accountCode: ERPAccountCode?
    /// The order's currency: the sales order's, else the first invoice's or credit note's.
    public var currency: Currency?
    /// The latest sales order revision's total including tax, less what line cancellations
    /// since took off (`lines`): what the invoices will add up to.
    public var orderTotal: Money?
    /// The latest revision's lines as line cancellations left them (nil in accounts kept
    /// before cancellations were followed: their total stays the revision's).
    public var lines: [PricedLine]?
    /// The line cancellations taken off the total, by request id, so that a repeat is one.
    public var lineCancellations: [EventID]?
    /// The sales order revision `orderTotal` comes from (0: none yet).
    public var orderRevision: Int = 0
    /// Captures and refunds, in arrival order.
    public var payments: [KnownPayment] = []
    /// Invoices, in arrival order.
    public var invoices: [KnownInvoice] = []
    /// Credit notes, in arrival order.
    public var creditNotes: [KnownCreditNote] = []
    /// The overpayment last reported as an exception, so that each amount is reported once.
    public var reportedOverpayment: Money?
    /// Since when the account has looked overpaid, not yet reported (nil: it does not): the
    /// overpayment is raised once it still is after the wait (`OverpaymentWait`).
    public var overpaidSince: Instant?
    /// Conflicting repeats already reported (a payment id or document number with other content).
    public var reportedConflicts: [String] = []
    /// The time of the latest input about this order: retention counts from it (nil in
    /// accounts written before retention existed: they get a timer at their next input).
    public var lastEventAt: Instant?
    /// When the whole order was cancelled (nil: it was not, or not yet): with no invoice, its
    /// captures and refunds are then lettered together.
    public var cancelledAt: Instant?
    /// The payments matched by the last payment offset sent (nil: none sent).
    public var offsetPayments: Int?
    /// The gift cards the latest sales order sells, one per unit (nil: none).
    public var giftCards: [GiftCardUnit]?

    /// An order with nothing known yet.
    public init() {}
}

/// A capture or refund from the site, as the letterer keeps it (no card data exists to keep).
public struct KnownPayment: Codable, Sendable, Equatable {
    /// The site's id.
    public var paymentID: PaymentID
    /// Capture or refund.
    public var kind: PaymentKind
    /// The method.
    public var method: PaymentMethod
    /// The amount.
    public var amount: Money
    /// The payment service provider, if given.
    public var provider: Code?
    /// The provider's transaction reference: the receipt is posted once per kind and reference.
    public var providerReference: String
    /// When the money moved.
    public var occurredAt: Instant
    /// Whether its receipt was produced.
    public var posted = false
    /// Left out of lettering because it is in another currency than the order (an exception said so).
    public var excluded = false
    /// For a payment spending a credit code: where its spend stands (nil: not a spend).
    public var spend: SpendState?

    /// A payment as received, not yet posted.
    public init(_ payment: SitePayment) {
        paymentID = payment.paymentID
        kind = payment.kind
        method = payment.method
        amount = payment.amount
        provider = payment.provider
        providerReference = payment.providerReference
        occurredAt = payment.occurredAt
    }

    /// Whether `payment` says the same thing (a repeat, not a conflict).
    func sameAs(_ payment: SitePayment) -> Bool {
        kind == payment.kind && method == payment.method && amount == payment.amount && providerReference == payment.providerReference
    }

    /// The credit code this payment spends: a capture of method `credit_note` or `gift_card`
    /// whose reference has the form of a code the bus issues (another gift card provider's
    /// codes are posted as they come).
    var spentCode: CreditCode? {
        guard kind == .capture, method == .creditNote || method == .giftCard else { return nil }
        let code = CreditCode(providerReference)
        return code.isWellFormed ? code : nil
    }

    /// Whether it counts in lettering: in the order's currency, and not a spend awaiting or refused.
    var counts: Bool {
        !excluded && (spend == nil || spend == .accepted)
    }
}

/// Where a payment spending a credit code stands.
public enum SpendState: String, Codable, Sendable, Equatable {
    /// Sent to the code's balance; neither posted nor lettered until decided.
    case awaiting
    /// Taken from the balance: posted and lettered like any payment.
    case accepted
    /// Refused (the site was told why): never posted.
    case refused
}

/// A sales order line as the letterer follows it: what is left of it after line cancellations.
public struct PricedLine: Codable, Sendable, Equatable {
    /// The line number.
    public var lineNumber: Int
    /// The quantity left.
    public var quantity: Quantity
    /// Its total including tax (excluding, when the ERP sent none), for the quantity left.
    public var total: Money
}

/// One gift card a sales order sells.
public struct GiftCardUnit: Codable, Sendable, Equatable {
    /// The gift card article.
    public var sku: SKU
    /// The sales order line.
    public var lineNumber: Int
    /// Which unit of the line (1…quantity).
    public var unit: Int
    /// Its value.
    public var amount: Money
    /// Whether its code was issued.
    public var issued = false
}

/// An invoice as the letterer keeps it.
public struct KnownInvoice: Codable, Sendable, Equatable {
    /// Its number.
    public var number: InvoiceNumber
    /// The ERP account invoiced.
    public var accountCode: ERPAccountCode
    /// Its total including tax: what the customer owes.
    public var amount: Money
    /// When it was issued.
    public var issuedAt: Instant
    /// Left out of lettering because it is in another currency than the order.
    public var excluded = false
    /// The captures lettered against it in the last entry sent (empty: none sent yet).
    public var lettered: [Allocation.Piece] = []
    /// When it is due (nil in invoices kept before it was).
    public var dueOn: LocalDate?
    /// What the site was last told is paid on it (nil: nothing sent yet).
    public var publishedPaid: Int64?

    /// An invoice as received.
    public init(_ invoice: ERPInvoice) {
        number = invoice.invoiceNumber
        accountCode = invoice.accountCode
        amount = invoice.totalInclTax
        issuedAt = invoice.issuedAt
        dueOn = invoice.dueOn
    }
}

/// A credit note as the letterer keeps it.
public struct KnownCreditNote: Codable, Sendable, Equatable {
    /// Its number.
    public var number: CreditNoteNumber
    /// The ERP account credited.
    public var accountCode: ERPAccountCode
    /// Its total including tax: what the customer is owed.
    public var amount: Money
    /// Refund to the original payment, or store credit.
    public var refundMethod: RefundMethod
    /// Why it was issued.
    public var reason: CreditReason
    /// When it was issued.
    public var issuedAt: Instant
    /// Left out of lettering because it is in another currency than the order.
    public var excluded = false
    /// Whether its store credit was issued (refund method store credit).
    public var storeCreditIssued = false
    /// The refunds lettered against it in the last entry sent (empty: none sent yet).
    public var lettered: [Allocation.Piece] = []

    /// A credit note as received.
    public init(_ note: ERPCreditNote) {
        number = note.creditNoteNumber
        accountCode = note.accountCode
        amount = note.totalInclTax
        refundMethod = note.refundMethod
        reason = note.reason
        issuedAt = note.issuedAt
    }
}
