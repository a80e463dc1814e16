/// Where one return stands: in the ERP's status (`returns` of `erp.order-status`) and on the
/// site's order page (`returns` of `shop.tracking-update`).
public struct ReturnProgress: Codable, Sendable, Hashable {
    /// The site's return number.
    public var returnNumber: ReturnNumber
    /// Where it stands.
    public var status: ReturnStatus
    /// When it got there.
    public var updatedAt: Instant

    /// A value with every field given.
    public init(returnNumber: ReturnNumber, status: ReturnStatus, updatedAt: Instant) {
        self.returnNumber = returnNumber
        self.status = status
        self.updatedAt = updatedAt
    }

    private enum CodingKeys: String, CodingKey {
        case returnNumber = "return_number"
        case status
        case updatedAt = "updated_at"
    }

    /// The JSON shape of a return's progress.
    public static let schema: SchemaNode = .object(
        .required("return_number", .ref(.returnNumber), "The site's return number."),
        .required("status", .oneOf(ReturnStatus.self), "Where it stands."),
        .required("updated_at", .instant, "When it got there.")
    )
}

/// A return's status, in the order it moves: requested, received, then accepted or refused,
/// and refunded (once its credit note is issued).
public enum ReturnStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// The site asked for it; nothing has arrived yet.
    case requested
    /// The warehouse received the articles.
    case received
    /// The return was accepted: a refund, store credit or exchange follows.
    case accepted
    /// The return was refused (articles used, out of time…).
    case refused
    /// Refunded or credited: its credit note was issued.
    case refunded

    /// Its place in the order returns move: a status never goes back to a lower one.
    public var rank: Int {
        switch self {
        case .requested: 0
        case .received: 1
        case .accepted, .refused: 2
        case .refunded: 3
        }
    }
}
