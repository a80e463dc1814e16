/// Where an order stands in the ERP (topic `erp.order-status`, key: the order number).
/// Each status carries the whole picture (shipments, problems, documents so far); sequence orders them.
public struct ERPOrderStatus: BusMessage {
    /// "erp.order-status".
    public static let messageType = "erp.order-status"
    /// Version 1.
    public static let schemaVersion = 1
    /// Where an order stands in the ERP.
    public static let summary = "Where an order stands in the ERP."

    /// The site order number; the record key.
    public var orderNumber: OrderNumber
    /// The ERP's own sales order number.
    public var erpOrderReference: Code
    /// The status.
    public var status: OrderStatus
    /// Increases with each status of this order: readers ignore a lower one than they have seen.
    public var sequence: Int
    /// When the order reached this status.
    public var statusAt: Instant
    /// Every shipment so far.
    public var shipments: [Shipment]
    /// Open problems (stock-out, payment issue, ...).
    public var problems: [OrderProblem]
    /// Documents issued so far.
    public var documents: [OrderDocument]
    /// The ERP account that ordered: needed for an order entered in the ERP (by sales
    /// administration, by phone), which no site order introduces, to reach the account's site
    /// customer through the identity link.
    public var accountCode: ERPAccountCode?
    /// The B2B contact who ordered, when the account has several site customers.
    public var contactID: ERPContactID?
    /// The order's returns and where each stands in the ERP (received, accepted, refused).
    public var returns: [ReturnProgress]?

    /// A value with every field given.
    public init(
        orderNumber: OrderNumber,
        erpOrderReference: Code,
        status: OrderStatus,
        sequence: Int,
        statusAt: Instant,
        shipments: [Shipment],
        problems: [OrderProblem],
        documents: [OrderDocument],
        accountCode: ERPAccountCode? = nil,
        contactID: ERPContactID? = nil,
        returns: [ReturnProgress]? = nil
    ) {
        self.orderNumber = orderNumber
        self.erpOrderReference = erpOrderReference
        self.status = status
        self.sequence = sequence
        self.statusAt = statusAt
        self.shipments = shipments
        self.problems = problems
        self.documents = documents
        self.accountCode = accountCode
        self.contactID = contactID
        self.returns = returns
    }

    private enum CodingKeys: String, CodingKey {
        case orderNumber = "order_number"
        case erpOrderReference = "erp_order_reference"
        case status
        case sequence
        case statusAt = "status_at"
        case shipments
        case problems
        case documents
        case accountCode = "account_code"
        case contactID = "contact_id"
        case returns
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("order_number", .ref(.orderNumber), "The site order number; the record key."),
        .required("erp_order_reference", .ref(.code), "The ERP's own sales order number."),
        .required("status", .oneOf(OrderStatus.self), "The status."),
        .required("sequence", .integer(minimum: 1), "Increases with each status of this order: readers ignore a lower one than they have seen."),
        .required("status_at", .instant, "When the order reached this status."),
        .required("shipments", .list(Shipment.schema), "Every shipment so far."),
        .required("problems", .list(OrderProblem.schema), "Open problems (stock-out, payment issue, ...)."),
        .required("documents", .list(OrderDocument.schema), "Documents issued so far."),
        .optional("account_code", .ref(.erpAccountCode), "The ERP account that ordered; needed for an order entered in the ERP, to reach the account's site customer."),
        .optional("contact_id", .ref(.erpContactID), "The B2B contact who ordered, when the account has several site customers."),
        .optional("returns", .list(ReturnProgress.schema), "The order's returns and where each stands in the ERP.")
    )

    /// Shipped statuses have shipments; stock-outs name the SKU; shipment ids are unique.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        if [.partiallyShipped, .shipped, .delivered].contains(status) {
            check.expect(!shipments.isEmpty, root.key("shipments"), .empty)
        }
        check.unique(shipments.map(\.shipmentID), { root.key("shipments").index($0).key("shipment_id") }, "shipment id")
        for (index, problem) in problems.enumerated() where problem.kind == .stockOut {
            check.expect(problem.sku != nil, root.key("problems").index(index).key("sku"), .missing)
        }
        return check.problems
    }
}

/// Something that holds an order up.
public struct OrderProblem: Codable, Sendable, Hashable {
    /// What.
    public var kind: OrderProblemKind
    /// The order line concerned.
    public var lineNumber: Int?
    /// The SKU concerned; required for a stock-out.
    public var sku: SKU?
    /// When it should be solved (stock expected), if known.
    public var expectedOn: LocalDate?
    /// A sentence for customer service, without personal data.
    public var message: String?

    /// A value with every field given; optional fields default to absent.
    public init(
        kind: OrderProblemKind,
        lineNumber: Int? = nil,
        sku: SKU? = nil,
        expectedOn: LocalDate? = nil,
        message: String? = nil
    ) {
        self.kind = kind
        self.lineNumber = lineNumber
        self.sku = sku
        self.expectedOn = expectedOn
        self.message = message
    }

    private enum CodingKeys: String, CodingKey {
        case kind
        case lineNumber = "line_number"
        case sku
        case expectedOn = "expected_on"
        case message
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("kind", .oneOf(OrderProblemKind.self), "What."),
        .optional("line_number", .integer(minimum: 1), "The order line concerned."),
        .optional("sku", .ref(.sku), "The SKU concerned; required for a stock-out."),
        .optional("expected_on", .date, "When it should be solved (stock expected), if known."),
        .optional("message", .text(maximumLength: 500), "A sentence for customer service, without personal data.")
    )
}

/// A document issued for an order.
public struct OrderDocument: Codable, Sendable, Hashable {
    /// Which document.
    public var kind: OrderDocumentKind
    /// Its number.
    public var number: String
    /// Where the PDF can be fetched.
    public var url: String?
    /// When it was issued.
    public var issuedAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(kind: OrderDocumentKind, number: String, url: String? = nil, issuedAt: Instant) {
        self.kind = kind
        self.number = number
        self.url = url
        self.issuedAt = issuedAt
    }

    private enum CodingKeys: String, CodingKey {
        case kind
        case number
        case url
        case issuedAt = "issued_at"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("kind", .oneOf(OrderDocumentKind.self), "Which document."),
        .required("number", .ref(.invoiceNumber), "Its number."),
        .optional("url", .ref(.url), "Where the PDF can be fetched."),
        .required("issued_at", .instant, "When it was issued.")
    )
}

/// An order's status in the ERP.
public enum OrderStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Accepted by the ERP.
    case validated
    /// Being picked and packed.
    case inPreparation = "in_preparation"
    /// Some of it has left.
    case partiallyShipped = "partially_shipped"
    /// All of it has left.
    case shipped
    /// The carrier delivered it.
    case delivered
    /// Cancelled.
    case cancelled
}

/// What holds an order up.
public enum OrderProblemKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// An article is out of stock.
    case stockOut = "stock_out"
    /// The payment is missing or disputed.
    case paymentIssue = "payment_issue"
    /// The address cannot be delivered to.
    case addressIssue = "address_issue"
}

/// A document about an order.
public enum OrderDocumentKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// The order acknowledgement.
    case acknowledgement
    /// An invoice.
    case invoice
    /// A delivery note.
    case deliveryNote = "delivery_note"
    /// A credit note.
    case creditNote = "credit_note"
}
