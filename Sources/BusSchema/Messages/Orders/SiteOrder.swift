/// An order placed on the site (topic `shop.orders`, key: the order number).
/// Amounts are as the site computed them; the totals must add up exactly, and order-ingest checks the prices against the catalogue.
public struct SiteOrder: BusMessage {
    /// "shop.order".
    public static let messageType = "shop.order"
    /// Version 1.
    public static let schemaVersion = 1
    /// An order placed on the site, with the amounts the site computed.
    public static let summary = "An order placed on the site, with the amounts the site computed."

    /// The site's order number; the record key.
    public var orderNumber: OrderNumber
    /// When the customer confirmed the order.
    public var placedAt: Instant
    /// The order's currency: every amount is in it.
    public var currency: Currency
    /// The language the customer ordered in (for documents and notifications).
    public var language: LanguageCode
    /// Who ordered: a site account, or a guest when site_account_id is absent.
    public var customer: OrderCustomer
    /// The invoice address.
    public var billingAddress: PostalAddress
    /// The delivery address (for a relay point: the point's address).
    public var deliveryAddress: PostalAddress
    /// The carrier's pickup point id, when delivered to one.
    public var relayPointID: Code?
    /// The articles ordered.
    public var lines: [SiteOrderLine]
    /// Shipping charges (none for free shipping).
    public var shippingLines: [ShippingLine]
    /// Order-level vouchers and promotions applied.
    public var vouchers: [Voucher]
    /// How the total is paid: one entry per method (gift card and card, ...). No card data.
    public var payments: [PaymentSummary]
    /// The totals.
    public var totals: OrderTotals

    /// A value with every field given; optional fields default to absent.
    public init(
        orderNumber: OrderNumber,
        placedAt: Instant,
        currency: Currency,
        language: LanguageCode,
        customer: OrderCustomer,
        billingAddress: PostalAddress,
        deliveryAddress: PostalAddress,
        relayPointID: Code? = nil,
        lines: [SiteOrderLine],
        shippingLines: [ShippingLine],
        vouchers: [Voucher],
        payments: [PaymentSummary],
        totals: OrderTotals
    ) {
        self.orderNumber = orderNumber
        self.placedAt = placedAt
        self.currency = currency
        self.language = language
        self.customer = customer
        self.billingAddress = billingAddress
        self.deliveryAddress = deliveryAddress
        self.relayPointID = relayPointID
        self.lines = lines
        self.shippingLines = shippingLines
        self.vouchers = vouchers
        self.payments = payments
        self.totals = totals
    }

    private enum CodingKeys: String, CodingKey {
        case orderNumber = "order_number"
        case placedAt = "placed_at"
        case currency
        case language
        case customer
        case billingAddress = "billing_address"
        case deliveryAddress = "delivery_address"
        case relayPointID = "relay_point_id"
        case lines
        case shippingLines = "shipping_lines"
        case vouchers
        case payments
        case totals
    }

    /// The JSON shape of the message.
    public static let schema: SchemaNode = .object(
        .required("order_number", .ref(.orderNumber), "The site's order number; the record key."),
        .required("placed_at", .instant, "When the customer confirmed the order."),
        .required("currency", .ref(.currencyCode), "The order's currency: every amount is in it."),
        .required("language", .ref(.languageCode), "The language the customer ordered in (for documents and notifications)."),
        .required("customer", OrderCustomer.schema, "Who ordered: a site account, or a guest when site_account_id is absent."),
        .required("billing_address", PostalAddress.schema, "The invoice address."),
        .required("delivery_address", PostalAddress.schema, "The delivery address (for a relay point: the point's address)."),
        .optional("relay_point_id", .ref(.code), "The carrier's pickup point id, when delivered to one."),
        .required("lines", .list(SiteOrderLine.schema, minimumCount: 1), "The articles ordered."),
        .required("shipping_lines", .list(ShippingLine.schema), "Shipping charges (none for free shipping)."),
        .required("vouchers", .list(Voucher.schema), "Order-level vouchers and promotions applied."),
        .required("payments", .list(PaymentSummary.schema, minimumCount: 1), "How the total is paid: one entry per method (gift card and card, ...). No card data."),
        .required("totals", OrderTotals.schema, "The totals.")
    )

    /// Every amount is in the order's currency, line numbers are unique, and lines, shipping, vouchers, totals and payments add up.
    public func validate() -> [ValidationProblem] {
        var check = RuleCheck()
        let root = JSONPath.root
        check.unique(lines.map(\.lineNumber), { root.key("lines").index($0).key("line_number") }, "line number")

        for (index, line) in lines.enumerated() {
            let path = root.key("lines").index(index)
            for (name, amount) in [("unit_price_excl_tax", line.unitPriceExclTax), ("unit_price_incl_tax", line.unitPriceInclTax),
                                   ("total_excl_tax", line.totalExclTax), ("total_incl_tax", line.totalInclTax)] {
                check.currency(amount, currency, path.key(name))
            }
            for (position, discount) in line.discounts.enumerated() {
                check.currency(discount.amountInclTax, currency, path.key("discounts").index(position).key("amount_incl_tax"))
            }
        }
        for (index, shipping) in shippingLines.enumerated() {
            check.currency(shipping.amountExclTax, currency, root.key("shipping_lines").index(index).key("amount_excl_tax"))
            check.currency(shipping.amountInclTax, currency, root.key("shipping_lines").index(index).key("amount_incl_tax"))
        }
        for (index, voucher) in vouchers.enumerated() {
            check.currency(voucher.amountInclTax, currency, root.key("vouchers").index(index).key("amount_incl_tax"))
        }
        for (index, payment) in payments.enumerated() {
            check.currency(payment.amount, currency, root.key("payments").index(index).key("amount"))
        }
        let totalsPath = root.key("totals")
        totals.check(&check, at: totalsPath, currency: currency)
        check.total(totals.linesInclTax, plus: lines.map(\.totalInclTax), totalsPath.key("lines_incl_tax"),
                    "lines_incl_tax must equal the sum of the lines' total_incl_tax")
        check.total(totals.shippingInclTax, plus: shippingLines.map(\.amountInclTax), totalsPath.key("shipping_incl_tax"),
                    "shipping_incl_tax must equal the sum of the shipping lines' amount_incl_tax")
        check.total(totals.vouchersInclTax, plus: vouchers.map(\.amountInclTax), totalsPath.key("vouchers_incl_tax"),
                    "vouchers_incl_tax must equal the sum of the vouchers' amount_incl_tax")
        check.total(totals.totalInclTax, plus: payments.map(\.amount), root.key("payments"),
                    "the payments must add up to total_incl_tax")
        return check.problems
    }
}

/// Who placed an order.
public struct OrderCustomer: Codable, Sendable, Hashable {
    /// The site account; absent for a guest checkout.
    public var siteAccountID: SiteAccountID?
    /// The e-mail given at checkout (documents and notifications go to it).
    public var email: String
    /// First name.
    public var firstName: String
    /// Last name.
    public var lastName: String
    /// The company, for a business order.
    public var companyName: String?
    /// The company's VAT number, for a business order.
    public var vatNumber: String?

    /// A value with every field given; optional fields default to absent.
    public init(
        siteAccountID: SiteAccountID? = nil,
        email: String,
        firstName: String,
        lastName: String,
        companyName: String? = nil,
        vatNumber: String? = nil
    ) {
        self.siteAccountID = siteAccountID
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.companyName = companyName
        self.vatNumber = vatNumber
    }

    private enum CodingKeys: String, CodingKey {
        case siteAccountID = "site_account_id"
        case email
        case firstName = "first_name"
        case lastName = "last_name"
        case companyName = "company_name"
        case vatNumber = "vat_number"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .optional("site_account_id", .ref(.siteAccountID), "The site account; absent for a guest checkout."),
        .required("email", .ref(.email), "The e-mail given at checkout (documents and notifications go to it)."),
        .required("first_name", .text(maximumLength: 100), "First name."),
        .required("last_name", .text(maximumLength: 100), "Last name."),
        .optional("company_name", .text(maximumLength: 100), "The company, for a business order."),
        .optional("vat_number", .ref(.vatNumber), "The company's VAT number, for a business order.")
    )
}

/// One article line of a site order.
public struct SiteOrderLine: Codable, Sendable, Hashable {
    /// The line number, unique in the order; later messages refer to lines by it.
    public var lineNumber: Int
    /// The SKU ordered.
    public var sku: SKU
    /// The label the customer saw.
    public var label: String?
    /// The quantity, in the article's unit.
    public var quantity: Quantity
    /// The unit price excluding tax, before discounts.
    public var unitPriceExclTax: Money
    /// The unit price including tax, before discounts.
    public var unitPriceInclTax: Money
    /// The VAT rate applied, in percent.
    public var vatRate: Rate
    /// Discounts on this line.
    public var discounts: [LineDiscount]
    /// The line total excluding tax, after discounts.
    public var totalExclTax: Money
    /// The line total including tax, after discounts.
    public var totalInclTax: Money

    /// A value with every field given; optional fields default to absent.
    public init(
        lineNumber: Int,
        sku: SKU,
        label: String? = nil,
        quantity: Quantity,
        unitPriceExclTax: Money,
        unitPriceInclTax: Money,
        vatRate: Rate,
        discounts: [LineDiscount],
        totalExclTax: Money,
        totalInclTax: Money
    ) {
        self.lineNumber = lineNumber
        self.sku = sku
        self.label = label
        self.quantity = quantity
        self.unitPriceExclTax = unitPriceExclTax
        self.unitPriceInclTax = unitPriceInclTax
        self.vatRate = vatRate
        self.discounts = discounts
        self.totalExclTax = totalExclTax
        self.totalInclTax = totalInclTax
    }

    private enum CodingKeys: String, CodingKey {
        case lineNumber = "line_number"
        case sku
        case label
        case quantity
        case unitPriceExclTax = "unit_price_excl_tax"
        case unitPriceInclTax = "unit_price_incl_tax"
        case vatRate = "vat_rate"
        case discounts
        case totalExclTax = "total_excl_tax"
        case totalInclTax = "total_incl_tax"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("line_number", .integer(minimum: 1), "The line number, unique in the order; later messages refer to lines by it."),
        .required("sku", .ref(.sku), "The SKU ordered."),
        .optional("label", .text(maximumLength: 200), "The label the customer saw."),
        .required("quantity", .positiveQuantity, "The quantity, in the article's unit."),
        .required("unit_price_excl_tax", .money(.nonNegative), "The unit price excluding tax, before discounts."),
        .required("unit_price_incl_tax", .money(.nonNegative), "The unit price including tax, before discounts."),
        .required("vat_rate", .percentage, "The VAT rate applied, in percent."),
        .required("discounts", .list(LineDiscount.schema), "Discounts on this line."),
        .required("total_excl_tax", .money(.nonNegative), "The line total excluding tax, after discounts."),
        .required("total_incl_tax", .money(.nonNegative), "The line total including tax, after discounts.")
    )
}

/// A discount on one order line.
public struct LineDiscount: Codable, Sendable, Hashable {
    /// The promotion code, if any.
    public var code: Code?
    /// What the customer saw.
    public var label: String
    /// The discount on the line, including tax.
    public var amountInclTax: Money

    /// A value with every field given; optional fields default to absent.
    public init(code: Code? = nil, label: String, amountInclTax: Money) {
        self.code = code
        self.label = label
        self.amountInclTax = amountInclTax
    }

    private enum CodingKeys: String, CodingKey {
        case code
        case label
        case amountInclTax = "amount_incl_tax"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .optional("code", .ref(.code), "The promotion code, if any."),
        .required("label", .text(maximumLength: 200), "What the customer saw."),
        .required("amount_incl_tax", .money(.nonNegative), "The discount on the line, including tax.")
    )
}

/// A shipping charge.
public struct ShippingLine: Codable, Sendable, Hashable {
    /// The shipping method (home, relay, express, ...).
    public var method: Code
    /// The carrier chosen, if any.
    public var carrier: Code?
    /// What the customer saw.
    public var label: String?
    /// The charge excluding tax.
    public var amountExclTax: Money
    /// The charge including tax.
    public var amountInclTax: Money
    /// The VAT rate applied, in percent.
    public var vatRate: Rate

    /// A value with every field given; optional fields default to absent.
    public init(
        method: Code,
        carrier: Code? = nil,
        label: String? = nil,
        amountExclTax: Money,
        amountInclTax: Money,
        vatRate: Rate
    ) {
        self.method = method
        self.carrier = carrier
        self.label = label
        self.amountExclTax = amountExclTax
        self.amountInclTax = amountInclTax
        self.vatRate = vatRate
    }

    private enum CodingKeys: String, CodingKey {
        case method
        case carrier
        case label
        case amountExclTax = "amount_excl_tax"
        case amountInclTax = "amount_incl_tax"
        case vatRate = "vat_rate"
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("method", .ref(.code), "The shipping method (home, relay, express, ...)."),
        .optional("carrier", .ref(.code), "The carrier chosen, if any."),
        .optional("label", .text(maximumLength: 200), "What the customer saw."),
        .required("amount_excl_tax", .money(.nonNegative), "The charge excluding tax."),
        .required("amount_incl_tax", .money(.nonNegative), "The charge including tax."),
        .required("vat_rate", .percentage, "The VAT rate applied, in percent.")
    )
}

/// A voucher or promotion on the whole order.
public struct Voucher: Codable, Sendable, Hashable {
    /// The voucher code.
    public var code: Code
    /// What the customer saw.
    public var label: String?
    /// The amount taken off the order, including tax.
    public var amountInclTax: Money
    /// What the voucher is for VAT: a discount (absent means discount), or a multi-purpose voucher (a gift card), which is a means of payment.
    public var kind: VoucherKind?

    /// A value with every field given; optional fields default to absent.
    public init(code: Code, label: String? = nil, amountInclTax: Money, kind: VoucherKind? = nil) {
        self.code = code
        self.label = label
        self.amountInclTax = amountInclTax
        self.kind = kind
    }

    /// A discount unless the site says it is a multi-purpose voucher.
    public var isPayment: Bool { kind == .multiPurpose }

    private enum CodingKeys: String, CodingKey {
        case code
        case label
        case amountInclTax = "amount_incl_tax"
        case kind
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .object(
        .required("code", .ref(.code), "The voucher code."),
        .optional("label", .text(maximumLength: 200), "What the customer saw."),
        .required("amount_incl_tax", .money(.positive), "The amount taken off the order, including tax."),
        .optional("kind", .oneOf(VoucherKind.self), "discount (the default when absent): a single-purpose voucher or promotion, which lowers the taxable base of the goods it reduces; multi_purpose: a gift card or multi-purpose voucher, a means of payment that does not lower VAT.")
    )
}

/// What a voucher is for VAT (EU directive 2016/1065: single- and multi-purpose vouchers).
public enum VoucherKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// A promotion or single-purpose voucher: a price reduction, lowering the taxable base.
    case discount
    /// A gift card or multi-purpose voucher: a payment; VAT is due on the full price of the goods.
    case multiPurpose = "multi_purpose"
}
