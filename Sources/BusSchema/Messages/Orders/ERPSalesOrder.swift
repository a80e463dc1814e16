/// A sales order for the ERP, made by order-ingest from a site order (topic `erp.sales-orders`, key: the site order number).
/// Each accepted change sends the whole order again with a higher revision; the ERP applies the highest revision it has seen.
/// Amounts are given excluding tax, as ERPs book them, and including tax, as the site charged them; `tax_lines` give the base and tax per VAT rate.
/// The rounding line carries only the cents an ERP computing the tax as base × rate per rate would miss: at most one per rate.
public struct ERPSalesOrder: BusMessage {
    /// "erp.sales-order".
    public static let messageType = "erp.sales-order"
    /// Version 1.
    public static let schemaVersion = 1
    /// A sales order for the ERP, made from a site order.
    public static let summary = "A sales order for the ERP, made from a site order."

    /// The site's order number, the ERP's external reference; the record key.
    public var externalReference: OrderNumber
    /// 1 for the order as placed, one more for each accepted change.
    public var revision: Int
    /// The ERP account that buys (for a guest: the guest account of the site).
    public var soldTo: ERPAccountCode
    /// b2b: the contact who ordered.
    public var contactID: ERPContactID?
    /// When the customer placed the order.
    public var orderedAt: Instant
    /// The order's currency.
    public var currency: Currency
    /// The language for documents.
    public var language: LanguageCode
    /// The invoice address.
    public var billTo: PostalAddress
    /// Where and how to deliver.
    public var shipTo: ShipTo
    /// The article lines.
    public var lines: [ERPSalesOrderLine]
    /// Shipping and other charges.
    public var charges: [ERPCharge]
    /// Order-level discounts (the site's vouchers).
    public var discounts: [ERPDiscount]
    /// The adjustment that makes the ERP's total equal the site's, when they differ by less than the tolerance.
    public var roundingLine: RoundingLine?
    /// Per VAT rate: the base excluding tax, the tax charged and the amount including tax, as the site charged them.
    public var taxLines: [ERPTaxLine]?
    /// The payment terms (PREPAID for orders paid on the site).
    public var paymentTerms: Code
    /// How the order is paid (no card data).
    public var payments: [PaymentSummary]
    /// The totals the ERP must find.
    public var totals: ERPOrderTotals

    /// A value with every field given; optional fields default to absent.
    public init(
        externalReference: OrderNumber,
        revision: Int,
        soldTo: ERPAccountCode,
        contactID: ERPContactID? = nil,
        orderedAt: Instant,
        currency: Currency,
        language: LanguageCode,
        billTo: PostalAddress,
        shipTo: ShipTo,
        lines: [ERPSalesOrderLine],
        charges: [ERPCharge],
        discounts: [ERPDiscount],
        roundingLine: RoundingLine? = nil,
        taxLines: [ERPTaxLine]? = nil,
        paymentTerms: Code,
        payments: [PaymentSummary],
        totals: ERPOrderTotals
    ) {
        self.externalReference = externalReference
        self.revision = revision
        self.soldTo = soldTo
        self.contactID = contactID
        self.orderedAt = orderedAt
        self.currency = currency
        self.language = language
        self.billTo = billTo
        self.shipTo = shipTo
        self.lines = lines
        self.charges = charges
        self.discounts = discounts
        self.roundingLine = roundingLine
        self.taxLines = taxLines
        self.paymentTerms = paymentTerms
        self.payments = payments
        self.totals = totals
    }

    private enum CodingKeys: String, CodingKey {
        case externalReference = "external_reference"
        case revision
        case soldTo = "sold_to"
        case contactID = "contact_id"
        case orderedAt = "ordered_at"
        case currency
        case language
        case billTo = "bill_to"
        case shipTo = "ship_to"
        case lines
        case charges
        case discounts
        case roundingLine = "rounding_line"
        case taxLines = "tax_lines"
        case paymentTerms = "payment_terms"
        case payments
        case totals
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("external_reference", .ref(.orderNumber), "The site's order number, the ERP's external reference; the record key."),
        .required("revision", .integer(minimum: 1), "1 for the order as placed, one more for each accepted change."),
        .required("sold_to", .ref(.erpAccountCode), "The ERP account that buys (for a guest: the guest account of the site)."),
        .optional("contact_id", .ref(.erpContactID), "b2b: the contact who ordered."),
        .required("ordered_at", .instant, "When the customer placed the order."),
        .required("currency", .ref(.currencyCode), "The order's currency."),
        .required("language", .ref(.languageCode), "The language for documents."),
        .required("bill_to", PostalAddress.schema, "The invoice address."),
        .required("ship_to", ShipTo.schema, "Where and how to deliver."),
        .required("lines", .list(ERPSalesOrderLine.schema, minimumCount: 1), "The article lines."),
        .required("charges", .list(ERPCharge.schema), "Shipping and other charges."),
        .required("discounts", .list(ERPDiscount.schema), "Order-level discounts (the site's vouchers)."),
        .optional("rounding_line", RoundingLine.schema, "The adjustment that makes the ERP's total equal the site's, when they differ by less than the tolerance."),
        .optional("tax_lines", .list(ERPTaxLine.schema), "Per VAT rate: the base excluding tax, the tax charged and the amount including tax, as the site charged them; they add up to total_incl_tax."),
        .required("payment_terms", .ref(.code), "The payment terms (PREPAID for orders paid on the site)."),
        .required("payments", .list(PaymentSummary.schema), "How the order is paid (no card data)."),
        .required("totals", ERPOrderTotals.schema, "The totals the ERP must find.")
    )

    /// Amounts are in the order's currency; lines, charges and discounts add up to total_excl_tax; total_excl_tax, total_tax and the rounding line add up to total_incl_tax.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.unique(lines.map(\.lineNumber), { root.key("lines").index($0).key("line_number") }, "line number")

        for (index, line) in lines.enumerated() {
            let path = root.key("lines").index(index)
            check.currency(line.unitPriceExclTax, currency, path.key("unit_price_excl_tax"))
            check.currency(line.discountExclTax, currency, path.key("discount_excl_tax"))
            check.currency(line.totalExclTax, currency, path.key("total_excl_tax"))
        }
        for (index, charge) in charges.enumerated() { check.currency(charge.amountExclTax, currency, root.key("charges").index(index).key("amount_excl_tax")) }
        for (index, discount) in discounts.enumerated() { check.currency(discount.amountExclTax, currency, root.key("discounts").index(index).key("amount_excl_tax")) }
        check.currency(roundingLine?.amount, currency, root.keys("rounding_line", "amount"))
        let totalsPath = root.key("totals")
        check.currency(totals.totalExclTax, currency, totalsPath.key("total_excl_tax"))
        check.currency(totals.totalTax, currency, totalsPath.key("total_tax"))
        check.currency(totals.totalInclTax, currency, totalsPath.key("total_incl_tax"))
        check.total(totals.totalExclTax, plus: lines.map(\.totalExclTax) + charges.map(\.amountExclTax), minus: discounts.map(\.amountExclTax),
                    totalsPath.key("total_excl_tax"), "total_excl_tax must equal lines + charges - discounts")
        check.total(totals.totalInclTax, plus: [totals.totalExclTax, totals.totalTax] + (roundingLine.map { [$0.amount] } ?? []),
                    totalsPath.key("total_incl_tax"), "total_incl_tax must equal total_excl_tax + total_tax + the rounding line")
        if let taxLines {
            let path = root.key("tax_lines")
            check.unique(taxLines.map(\.vatRate), { path.index($0).key("vat_rate") }, "VAT rate")
            for (index, line) in taxLines.enumerated() {
                check.total(line.totalInclTax, plus: [line.baseExclTax, line.tax], path.index(index).key("total_incl_tax"),
                            "total_incl_tax must equal base_excl_tax + tax")
            }
            check.total(totals.totalExclTax, plus: taxLines.map(\.baseExclTax), path, "the tax lines' bases must add up to total_excl_tax")
            check.total(totals.totalInclTax, plus: taxLines.map(\.totalInclTax), path, "the tax lines must add up to total_incl_tax")
        }
        return check.problems
    }
}

/// Where and how an order is delivered.
public struct ShipTo: Codable, Sendable, Hashable {
    /// The delivery address.
    public var address: PostalAddress
    /// The shipping method.
    public var shippingMethod: Code
    /// The carrier, when the customer chose one.
    public var carrier: Code?
    /// The carrier's pickup point id.
    public var relayPointID: Code?

    /// A value with every field given; optional fields default to absent.
    public init(
        address: PostalAddress,
        shippingMethod: Code,
        carrier: Code? = nil,
        relayPointID: Code? = nil
    ) {
        self.address = address
        self.shippingMethod = shippingMethod
        self.carrier = carrier
        self.relayPointID = relayPointID
    }

    private enum CodingKeys: String, CodingKey {
        case address
        case shippingMethod = "shipping_method"
        case carrier
        case relayPointID = "relay_point_id"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("address", PostalAddress.schema, "The delivery address."),
        .required("shipping_method", .ref(.code), "The shipping method."),
        .optional("carrier", .ref(.code), "The carrier, when the customer chose one."),
        .optional("relay_point_id", .ref(.code), "The carrier's pickup point id.")
    )
}

/// An article line of an ERP sales order.
public struct ERPSalesOrderLine: Codable, Sendable, Hashable {
    /// The site order's line number, kept so that statuses and returns refer to the same line.
    public var lineNumber: Int
    /// The SKU.
    public var sku: SKU
    /// The quantity.
    public var quantity: Quantity
    /// The unit price excluding tax, before discount.
    public var unitPriceExclTax: Money
    /// The VAT rate, in percent.
    public var vatRate: Rate
    /// The line discount excluding tax.
    public var discountExclTax: Money
    /// The line total excluding tax, after discount: the line's share of its rate's base, to be taken as given.
    public var totalExclTax: Money
    /// The unit price including tax, before discount, as the site charged it.
    public var unitPriceInclTax: Money?
    /// The line total including tax, after discount, as the site charged it.
    public var totalInclTax: Money?

    /// A value with every field given; optional fields default to absent.
    public init(
        lineNumber: Int,
        sku: SKU,
        quantity: Quantity,
        unitPriceExclTax: Money,
        vatRate: Rate,
        discountExclTax: Money,
        totalExclTax: Money,
        unitPriceInclTax: Money? = nil,
        totalInclTax: Money? = nil
    ) {
        self.unitPriceInclTax = unitPriceInclTax
        self.totalInclTax = totalInclTax
        self.lineNumber = lineNumber
        self.sku = sku
        self.quantity = quantity
        self.unitPriceExclTax = unitPriceExclTax
        self.vatRate = vatRate
        self.discountExclTax = discountExclTax
        self.totalExclTax = totalExclTax
    }

    private enum CodingKeys: String, CodingKey {
        case lineNumber = "line_number"
        case sku
        case quantity
        case unitPriceExclTax = "unit_price_excl_tax"
        case vatRate = "vat_rate"
        case discountExclTax = "discount_excl_tax"
        case totalExclTax = "total_excl_tax"
        case unitPriceInclTax = "unit_price_incl_tax"
        case totalInclTax = "total_incl_tax"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("line_number", .integer(minimum: 1), "The site order's line number, kept so that statuses and returns refer to the same line."),
        .required("sku", .ref(.sku), "The SKU."),
        .required("quantity", .positiveQuantity, "The quantity."),
        .required("unit_price_excl_tax", .money(.nonNegative), "The unit price excluding tax, before discount."),
        .required("vat_rate", .percentage, "The VAT rate, in percent."),
        .required("discount_excl_tax", .money(.nonNegative), "The line discount excluding tax."),
        .required("total_excl_tax", .money(.nonNegative), "The line total excluding tax, after discount: the line's share of its rate's base, to be taken as given."),
        .optional("unit_price_incl_tax", .money(.nonNegative), "The unit price including tax, before discount, as the site charged it."),
        .optional("total_incl_tax", .money(.nonNegative), "The line total including tax, after discount, as the site charged it.")
    )
}
