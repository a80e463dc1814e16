/// The totals of an ERP sales order.
public struct ERPOrderTotals: Codable, Sendable, Hashable {
    /// Lines + charges - discounts, excluding tax.
    public var totalExclTax: Money
    /// The tax.
    public var totalTax: Money
    /// What the customer pays; equals the site order's total.
    public var totalInclTax: Money

    /// A value with every field given.
    public init(totalExclTax: Money, totalTax: Money, totalInclTax: Money) {
        self.totalExclTax = totalExclTax
        self.totalTax = totalTax
        self.totalInclTax = totalInclTax
    }

    private enum CodingKeys: String, CodingKey {
        case totalExclTax = "total_excl_tax"
        case totalTax = "total_tax"
        case totalInclTax = "total_incl_tax"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("total_excl_tax", .money(.nonNegative), "Lines + charges - discounts, excluding tax."),
        .required("total_tax", .money(.nonNegative), "The tax."),
        .required("total_incl_tax", .money(.nonNegative), "What the customer pays; equals the site order's total.")
    )
}

/// The base and tax at one VAT rate of an ERP sales order.
public struct ERPTaxLine: Codable, Sendable, Hashable {
    /// The VAT rate, in percent.
    public var vatRate: Rate
    /// The lines, charges and discounts at this rate, excluding tax.
    public var baseExclTax: Money
    /// The tax charged at this rate: total_incl_tax − base_excl_tax (the site's figure when it gives one).
    public var tax: Money
    /// The lines, charges and discounts at this rate, including tax, as the site charged them.
    public var totalInclTax: Money

    /// A value with every field given.
    public init(vatRate: Rate, baseExclTax: Money, tax: Money, totalInclTax: Money) {
        self.vatRate = vatRate
        self.baseExclTax = baseExclTax
        self.tax = tax
        self.totalInclTax = totalInclTax
    }

    private enum CodingKeys: String, CodingKey {
        case vatRate = "vat_rate"
        case baseExclTax = "base_excl_tax"
        case tax
        case totalInclTax = "total_incl_tax"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("vat_rate", .percentage, "The VAT rate, in percent."),
        .required("base_excl_tax", .money(.any), "The lines, charges and discounts at this rate, excluding tax."),
        .required("tax", .money(.any), "The tax charged at this rate: total_incl_tax - base_excl_tax (the site's figure when it gives one)."),
        .required("total_incl_tax", .money(.any), "The lines, charges and discounts at this rate, including tax, as the site charged them.")
    )
}
