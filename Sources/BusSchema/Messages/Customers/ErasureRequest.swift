/// A request to erase a customer's personal data (GDPR article 17), from the site (topic `shop.customers`, key: the site account id).
/// customer-sync forgets the identity link and asks the ERP to anonymise the account.
public struct ErasureRequest: BusMessage {
    /// "shop.erasure-request".
    public static let messageType = "shop.erasure-request"
    /// Version 1.
    public static let schemaVersion = 1
    /// A request to erase a customer's personal data.
    public static let summary = "A request to erase a customer's personal data."

    /// The request's id, for the audit trail.
    public var requestID: EventID
    /// The site account to erase; the record key.
    public var siteAccountID: SiteAccountID
    /// The linked ERP account, when the site knows it.
    public var erpAccountCode: ERPAccountCode?
    /// Why the data is erased.
    public var reason: ErasureReason
    /// When the request was made.
    public var requestedAt: Instant

    /// A value with every field given; optional fields default to absent.
    public init(
        requestID: EventID,
        siteAccountID: SiteAccountID,
        erpAccountCode: ERPAccountCode? = nil,
        reason: ErasureReason,
        requestedAt: Instant
    ) {
        self.requestID = requestID
        self.siteAccountID = siteAccountID
        self.erpAccountCode = erpAccountCode
        self.reason = reason
        self.requestedAt = requestedAt
    }

    private enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case siteAccountID = "site_account_id"
        case erpAccountCode = "erp_account_code"
        case reason
        case requestedAt = "requested_at"
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("request_id", .ref(.eventID), "The request's id, for the audit trail."),
        .required("site_account_id", .ref(.siteAccountID), "The site account to erase; the record key."),
        .optional("erp_account_code", .ref(.erpAccountCode), "The linked ERP account, when the site knows it."),
        .required("reason", .oneOf(ErasureReason.self), "Why the data is erased."),
        .required("requested_at", .instant, "When the request was made.")
    )
}

/// Why personal data is erased.
public enum ErasureReason: String, Codable, Sendable, Hashable, CaseIterable {
    /// The customer asked.
    case customerRequest = "customer_request"
    /// The account was closed and its data is no longer needed.
    case accountClosed = "account_closed"
    /// The retention period ran out.
    case retentionExpired = "retention_expired"
}
