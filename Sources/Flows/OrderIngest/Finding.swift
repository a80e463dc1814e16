import BusSchema

/// One reason an order cannot go to the ERP as it is: what the site is told (an acceptance
/// reason) and what a person is asked to decide (a business exception). Holds no personal
/// data: codes, line numbers, SKUs and amounts only.
public struct Finding: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason code the site sees.
    public var code: AcceptanceReasonCode
    /// The kind of business exception raised.
    public var kind: ExceptionKind
    /// The order line concerned, if one.
    public var lineNumber: Int?
    /// A sentence for customer service.
    public var message: String
    /// Facts that help decide (expected_total, found_total, …).
    public var details: [String: String]

    /// A finding with every field given.
    public init(code: AcceptanceReasonCode, kind: ExceptionKind, lineNumber: Int? = nil, message: String, details: [String: String] = [:]) {
        self.code = code
        self.kind = kind
        self.lineNumber = lineNumber
        self.message = message
        self.details = details
    }

    /// The reason given to the site.
    public var acceptanceReason: AcceptanceReason {
        AcceptanceReason(code: code, lineNumber: lineNumber, message: message)
    }

    /// "code (line n): message".
    public var description: String {
        "\(code.rawValue)\(lineNumber.map { " (line \($0))" } ?? ""): \(message)"
    }
}

/// What an order not yet in the ERP would become there.
public enum Examination: Sendable, Equatable {
    /// The ERP sales order, ready to send.
    case ready(ERPSalesOrder)
    /// Every reason it cannot go as it is.
    case held([Finding])
}

/// The ERP account an order is sold to.
public struct ERPCustomer: Sendable, Equatable {
    /// The account.
    public var account: ERPAccountCode
    /// B2B: the contact who ordered.
    public var contact: ERPContactID?
    /// The account's price list (from the identity table): the customer is entitled to its prices.
    public var priceList: PriceListCode?
    /// The account's payment terms (from the identity table): terms other than the prepaid ones let it order on account.
    public var paymentTerms: Code?
    /// The account's credit limit for orders on account; nil: none.
    public var creditLimit: Money?
    /// Whether the account may order.
    public var status: AccountStatus

    /// A customer with every field given; optional fields default to absent, the status to active.
    public init(account: ERPAccountCode, contact: ERPContactID? = nil, priceList: PriceListCode? = nil,
                paymentTerms: Code? = nil, creditLimit: Money? = nil, status: AccountStatus = .active) {
        self.account = account
        self.contact = contact
        self.priceList = priceList
        self.paymentTerms = paymentTerms
        self.creditLimit = creditLimit
        self.status = status
    }
}
