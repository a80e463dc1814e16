/// An identifier carried as a string on the wire, with a type of its own so that one kind
/// can never be passed where another is expected (an order number is not a SKU).
///
/// The type guarantees nothing about the text: the allowed form of each identifier is its
/// schema definition (`SchemaDefinition`), checked when a message is decoded.
public protocol StringIdentifier: RawRepresentable<String>, Codable, Sendable, Hashable, Comparable,
    CustomStringConvertible, ExpressibleByStringLiteral, CodingKeyRepresentable {
    /// An identifier with this text.
    init(rawValue: String)
}

extension StringIdentifier {
    /// An identifier with this text.
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    /// An identifier from a literal, for code and tests.
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    /// The text.
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    /// The identifier a JSON string holds (what `RawRepresentable`'s own decoding reads,
    /// without its container and generic casts).
    public init(from decoder: any Decoder) throws { self.init(rawValue: try decoder.singleString()) }
}

/// A customer account's code in the ERP ("C000123"); the key of `erp.customers`.
public struct ERPAccountCode: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A contact person's id within an ERP (B2B) account.
public struct ERPContactID: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A customer account's id on the site; the key of `shop.customers`.
public struct SiteAccountID: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A stock-keeping unit: one sellable article or variant; the key of articles and stock.
public struct SKU: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// The site's order number ("WEB-100234"); the key of every order topic.
public struct OrderNumber: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// An ERP invoice number.
public struct InvoiceNumber: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// An ERP credit note number.
public struct CreditNoteNumber: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A site return number (RMA).
public struct ReturnNumber: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A warehouse code in the ERP.
public struct WarehouseCode: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A price list code in the ERP (also the site's customer price group).
public struct PriceListCode: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A site payment's id, unique per capture or refund.
public struct PaymentID: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// An id made by a producer for one event or request (a UUID or any unique text).
public struct EventID: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
/// A code naming something in a closed list kept outside the bus (family, category, carrier, unit).
public struct Code: StringIdentifier { public let rawValue: String; public init(rawValue: String) { self.rawValue = rawValue } }
