/// What one order on account still owes its ERP account, from order-ingest (topic
/// `bus.account-exposure`, compacted, key: the order number), written whenever that amount
/// changes (sent, changed, invoiced, lettered, cancelled) and deleted when order-ingest
/// forgets the order. Every order-ingest instance reads the topic whole and sums an account's
/// entries (`tableGroup`), so a credit check counts the account's orders of every partition.
public struct AccountOrderExposure: BusMessage, GroupedTableMessage {
    /// "bus.account-exposure".
    public static let messageType = "bus.account-exposure"
    /// Version 1.
    public static let schemaVersion = 1
    /// What one order on account still owes its ERP account.
    public static let summary = "What one order on account still owes its ERP account; zero once invoiced and paid or cancelled."

    /// The order; the record key.
    public var orderNumber: OrderNumber
    /// The ERP account that owes it.
    public var accountCode: ERPAccountCode
    /// What is still owed: the part not invoiced plus what its invoices leave open.
    public var open: Money
    /// When this amount became true: the time of the input that changed it.
    public var updatedAt: Instant

    /// A value with every field given.
    public init(orderNumber: OrderNumber, accountCode: ERPAccountCode, open: Money, updatedAt: Instant) {
        self.orderNumber = orderNumber
        self.accountCode = accountCode
        self.open = open
        self.updatedAt = updatedAt
    }

    /// The account code: a table lookup finds an account's orders without a scan.
    public var tableGroup: String { accountCode.rawValue }

    private enum CodingKeys: String, CodingKey {
        case orderNumber = "order_number"
        case accountCode = "account_code"
        case open
        case updatedAt = "updated_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("order_number", .ref(.orderNumber), "The order; the record key."),
        .required("account_code", .ref(.erpAccountCode), "The ERP account that owes it."),
        .required("open", .money(.nonNegative), "What is still owed: the part not invoiced plus what its invoices leave open."),
        .required("updated_at", .instant, "When this amount became true.")
    )
}
