/// A charge on an ERP sales order.
public struct ERPCharge: Codable, Sendable, Hashable {
    /// The charge code in the ERP (SHIPPING, ...).
    public var code: Code
    /// A label.
    public var label: String?
    /// The amount excluding tax.
    public var amountExclTax: Money
    /// The VAT rate, in percent.
    public var vatRate: Rate
    /// The amount including tax, as the site charged it (its share at this rate).
    public var amountInclTax: Money?

    /// A value with every field given; optional fields default to absent.
    public init(code: Code, label: String? = nil, amountExclTax: Money, vatRate: Rate, amountInclTax: Money? = nil) {
        self.amountInclTax = amountInclTax
        self.code = code
        self.label = label
        self.amountExclTax = amountExclTax
        self.vatRate = vatRate
    }

    private enum CodingKeys: String, CodingKey {
        case code
        case label
        case amountExclTax = "amount_excl_tax"
        case vatRate = "vat_rate"
        case amountInclTax = "amount_incl_tax"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("code", .ref(.code), "The charge code in the ERP (SHIPPING, ...)."),
        .optional("label", .text(maximumLength: 200), "A label."),
        .required("amount_excl_tax", .money(.nonNegative), "The amount excluding tax."),
        .required("vat_rate", .percentage, "The VAT rate, in percent."),
        .optional("amount_incl_tax", .money(.nonNegative), "The amount including tax, as the site charged it (its share at this rate).")
    )
}

/// An order-level discount on an ERP sales order.
public struct ERPDiscount: Codable, Sendable, Hashable {
    /// The voucher or promotion code.
    public var code: Code
    /// The amount taken off, excluding tax.
    public var amountExclTax: Money
    /// The VAT rate it reduces, in percent.
    public var vatRate: Rate
    /// The amount taken off, including tax (its share at this rate).
    public var amountInclTax: Money?

    /// A value with every field given; optional fields default to absent.
    public init(code: Code, amountExclTax: Money, vatRate: Rate, amountInclTax: Money? = nil) {
        self.amountInclTax = amountInclTax
        self.code = code
        self.amountExclTax = amountExclTax
        self.vatRate = vatRate
    }

    private enum CodingKeys: String, CodingKey {
        case code
        case amountExclTax = "amount_excl_tax"
        case vatRate = "vat_rate"
        case amountInclTax = "amount_incl_tax"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("code", .ref(.code), "The voucher or promotion code."),
        .required("amount_excl_tax", .money(.nonNegative), "The amount taken off, excluding tax."),
        .required("vat_rate", .percentage, "The VAT rate it reduces, in percent."),
        .optional("amount_incl_tax", .money(.nonNegative), "The amount taken off, including tax (its share at this rate).")
    )
}

/// The cents between the site's total and the ERP's.
public struct RoundingLine: Codable, Sendable, Hashable {
    /// Added to total_incl_tax; negative to take off.
    public var amount: Money
    /// Why (per-line rounding on the site, ...).
    public var reason: String

    /// A value with every field given.
    public init(amount: Money, reason: String) {
        self.amount = amount
        self.reason = reason
    }

    private enum CodingKeys: String, CodingKey {
        case amount
        case reason
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("amount", .money(.any), "Added to total_incl_tax; negative to take off."),
        .required("reason", .text(maximumLength: 200), "Why (per-line rounding on the site, ...).")
    )
}
