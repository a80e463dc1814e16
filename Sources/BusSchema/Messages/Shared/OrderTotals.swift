/// An order's totals, as the site computed them.
public struct OrderTotals: Codable, Sendable, Hashable {
    /// The sum of the lines' total_incl_tax (after line discounts).
    public var linesInclTax: Money
    /// The sum of the shipping lines' amount_incl_tax.
    public var shippingInclTax: Money
    /// The sum of the vouchers' amount_incl_tax.
    public var vouchersInclTax: Money
    /// The order total excluding tax.
    public var totalExclTax: Money
    /// The tax in the order total.
    public var totalTax: Money
    /// What the customer pays: lines + shipping - vouchers.
    public var totalInclTax: Money
    /// The tax per VAT rate, when the site computes it so; order-ingest then gives the ERP exactly these figures.
    public var taxes: [RateTax]?

    /// A value with every field given; optional fields default to absent.
    public init(
        linesInclTax: Money,
        shippingInclTax: Money,
        vouchersInclTax: Money,
        totalExclTax: Money,
        totalTax: Money,
        totalInclTax: Money,
        taxes: [RateTax]? = nil
    ) {
        self.taxes = taxes
        self.linesInclTax = linesInclTax
        self.shippingInclTax = shippingInclTax
        self.vouchersInclTax = vouchersInclTax
        self.totalExclTax = totalExclTax
        self.totalTax = totalTax
        self.totalInclTax = totalInclTax
    }

    private enum CodingKeys: String, CodingKey {
        case linesInclTax = "lines_incl_tax"
        case shippingInclTax = "shipping_incl_tax"
        case vouchersInclTax = "vouchers_incl_tax"
        case totalExclTax = "total_excl_tax"
        case totalTax = "total_tax"
        case totalInclTax = "total_incl_tax"
        case taxes
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("lines_incl_tax", .money(.nonNegative), "The sum of the lines' total_incl_tax (after line discounts)."),
        .required("shipping_incl_tax", .money(.nonNegative), "The sum of the shipping lines' amount_incl_tax."),
        .required("vouchers_incl_tax", .money(.nonNegative), "The sum of the vouchers' amount_incl_tax."),
        .required("total_excl_tax", .money(.nonNegative), "The order total excluding tax."),
        .required("total_tax", .money(.nonNegative), "The tax in the order total."),
        .required("total_incl_tax", .money(.nonNegative), "What the customer pays: lines + shipping - vouchers."),
        .optional("taxes", .list(RateTax.schema), "The tax per VAT rate, when the site computes it so; they add up to total_tax, and the ERP receives exactly these figures.")
    )

    /// The rules every set of totals obeys (used by the order messages' `validate()`).
    func check(_ check: inout RuleCheck, at path: JSONPath, currency: Currency) {
        for (name, amount) in [("lines_incl_tax", linesInclTax), ("shipping_incl_tax", shippingInclTax), ("vouchers_incl_tax", vouchersInclTax),
                               ("total_excl_tax", totalExclTax), ("total_tax", totalTax), ("total_incl_tax", totalInclTax)] {
            check.currency(amount, currency, path.key(name))
        }
        check.total(totalInclTax, plus: [linesInclTax, shippingInclTax], minus: [vouchersInclTax], path.key("total_incl_tax"),
                    "total_incl_tax must equal lines_incl_tax + shipping_incl_tax - vouchers_incl_tax")
        check.total(totalInclTax, plus: [totalExclTax, totalTax], path.key("total_tax"),
                    "total_excl_tax + total_tax must equal total_incl_tax")
        if let taxes {
            check.unique(taxes.map(\.vatRate), { path.key("taxes").index($0).key("vat_rate") }, "VAT rate")
            for (index, tax) in taxes.enumerated() { check.currency(tax.tax, currency, path.key("taxes").index(index).key("tax")) }
            check.total(totalTax, plus: taxes.map(\.tax), path.key("taxes"), "the taxes per rate must add up to total_tax")
        }
    }
}

/// The tax at one VAT rate.
public struct RateTax: Codable, Sendable, Hashable {
    /// The VAT rate, in percent.
    public var vatRate: Rate
    /// The tax at that rate.
    public var tax: Money

    /// A value with every field given.
    public init(vatRate: Rate, tax: Money) {
        self.vatRate = vatRate
        self.tax = tax
    }

    private enum CodingKeys: String, CodingKey {
        case vatRate = "vat_rate"
        case tax
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("vat_rate", .percentage, "The VAT rate, in percent."),
        .required("tax", .money(.any), "The tax at that rate.")
    )
}
