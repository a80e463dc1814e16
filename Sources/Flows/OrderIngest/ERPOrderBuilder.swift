import BusSchema

/// Builds the ERP's sales order from a site order so that the ERP invoices, to the cent, what
/// the customer paid on the site.
///
/// The accountant's method: the amounts including tax are the master (each line's total is the
/// site's unit price including tax × quantity, less its discounts, as the site charged it).
/// Shipping is split over the goods' rates by the merchant's rule (`ShippingVAT`), discount
/// vouchers over the goods' rates in proportion (`VoucherSplit`); multi-purpose vouchers (gift
/// cards) are payments and lower no base. Per VAT rate, the amount including tax is split once
/// into base and tax (`RateBase`); the base is then shared over the rate's lines, charges and
/// discounts, so the lines' amounts excluding tax add up to it exactly. The ERP receives both
/// amounts of every line, and the base and tax per rate (`tax_lines`), so it never recomputes
/// from rounded unit prices; an ERP that recomputes the tax as base × rate finds the same tax,
/// except for at most one minor unit per rate, which the rounding line carries.
///
/// Normal rounding is therefore never held. An order is held only when the site's own tax per
/// rate (`totals.taxes`) disagrees with its base by more than the tolerance: a real disagreement.
public struct ERPOrderBuilder: Sendable {
    /// The rules applied (charge code, payment terms, tolerance, shipping VAT, gift card SKUs).
    public let rules: OrderIngestRules

    /// A builder applying `rules`.
    public init(rules: OrderIngestRules) {
        self.rules = rules
    }

    /// What building gives: the value, or every reason the order is held.
    public enum Outcome<Value: Sendable & Equatable>: Sendable, Equatable {
        /// Built.
        case built(Value)
        /// Held, for these reasons.
        case held([Finding])
    }

    /// The ERP's figures for an order.
    public struct Amounts: Sendable, Equatable {
        /// One per site line.
        public var lines: [ERPSalesOrderLine]
        /// One per shipping line and VAT rate it is taxed at.
        public var charges: [ERPCharge]
        /// One per discount voucher and VAT rate it reduces.
        public var discounts: [ERPDiscount]
        /// Base and tax per VAT rate, highest rate first.
        public var rates: [RateBase]
        /// Multi-purpose vouchers, as the payments they are.
        public var voucherPayments: [PaymentSummary]
        /// The sum of the rates' roundings: what the rounding line carries.
        public var rounding: Money
        /// The order's totals for the ERP.
        public var totals: ERPOrderTotals

        /// The tax lines the ERP receives.
        public var taxLines: [ERPTaxLine] {
            rates.map { ERPTaxLine(vatRate: $0.rate, baseExclTax: $0.exclTax, tax: $0.tax, totalInclTax: $0.inclTax) }
        }
    }

    /// One amount charged at a rate, including tax, and which ERP line it becomes.
    private struct Part {
        enum Kind { case line(Int), charge(Int), discount(Int) }
        var kind: Kind
        var rate: Rate
        /// Signed: discounts are negative.
        var inclTax: Int64
    }

    /// The ERP's figures for `order`, or the findings that hold it.
    public func amounts(of order: SiteOrder) throws(SchemaError) -> Outcome<Amounts> {
        let currency = order.currency
        let zero = Money.zero(currency)
        var findings = giftCardFindings(order)
        var goods: [Rate: Money] = [:]
        for line in order.lines where !isGiftCard(line) {
            goods[line.vatRate] = try (goods[line.vatRate] ?? zero).adding(line.totalInclTax)
        }
        var parts: [Part] = order.lines.enumerated().map { Part(kind: .line($0.offset), rate: $0.element.vatRate, inclTax: $0.element.totalInclTax.amount) }
        var charges: [ERPCharge] = []
        for shipping in order.shippingLines {
            for part in rules.shippingVAT.split(shipping.amountInclTax, goods: goods, fallback: shipping.vatRate) {
                parts.append(Part(kind: .charge(charges.count), rate: part.rate, inclTax: part.amount.amount))
                charges.append(ERPCharge(code: rules.shippingChargeCode, label: shipping.label, amountExclTax: zero, vatRate: part.rate, amountInclTax: part.amount))
            }
        }
        var discounts: [ERPDiscount] = []
        var voucherPayments: [PaymentSummary] = []
        var everyLine: [Rate: Money] = [:]
        for line in order.lines { everyLine[line.vatRate] = try (everyLine[line.vatRate] ?? zero).adding(line.totalInclTax) }
        // A cart of gift cards only: a discount on them reduces what is paid at their rate.
        let voucherWeights = goods.isEmpty ? everyLine : goods
        for voucher in order.vouchers {
            if voucher.isPayment {
                voucherPayments.append(PaymentSummary(method: .giftCard, amount: voucher.amountInclTax, status: .paid))
                continue
            }
            for part in VoucherSplit.split(voucher.amountInclTax, over: voucherWeights) {
                parts.append(Part(kind: .discount(discounts.count), rate: part.rate, inclTax: -part.amount.amount))
                discounts.append(ERPDiscount(code: voucher.code, amountExclTax: zero, vatRate: part.rate, amountInclTax: part.amount))
            }
        }

        let siteTaxes = Dictionary((order.totals.taxes ?? []).map { ($0.vatRate, $0.tax) }, uniquingKeysWith: { first, _ in first })
        let rateSet = Set(parts.map(\.rate))
        for rate in siteTaxes.keys.sorted(by: >) where !rateSet.contains(rate) {
            findings.append(Finding(code: .roundingBeyondTolerance, kind: .roundingBeyondTolerance,
                                    message: "the site gives tax at \(rate) % but charges nothing at that rate",
                                    details: ["vat_rate": rate.description, "expected_tax": siteTaxes[rate]?.description ?? "", "found_tax": zero.description]))
        }
        var excl = Array(repeating: Int64(0), count: parts.count)
        var rates: [RateBase] = []
        let tolerance = try rules.tolerance(in: currency)
        for rate in rateSet.sorted(by: >) {
            let indices = parts.indices.filter { parts[$0].rate == rate }
            let gross = Money(amount: indices.reduce(Int64(0)) { $0 + parts[$1].inclTax }, currency: currency)
            let split = try RateBase.of(gross, at: rate, siteTax: siteTaxes[rate])
            rates.append(split)
            // One minor unit per rate is the arithmetic of any base × rate; beyond it (and the
            // tolerance), the site's tax and its amounts disagree.
            if split.rounding.amount.magnitude > max(1, tolerance.amount.magnitude) {
                findings.append(Finding(code: .roundingBeyondTolerance, kind: .roundingBeyondTolerance,
                                        message: "at \(rate) %, the site's tax is \(split.tax) where its base of \(split.exclTax) gives \(split.computedTax)",
                                        details: ["vat_rate": rate.description, "expected_tax": split.tax.description, "found_tax": split.computedTax.description,
                                                  "base_excl_tax": split.exclTax.description, "difference": split.rounding.description,
                                                  "tolerance": tolerance.description]))
            }
            // Each amount netted on its own, then the rate's remainder to its largest line (or
            // charge): the excluding-tax amounts add up to the rate's base exactly.
            for index in indices {
                let magnitude = try Money(amount: Swift.abs(parts[index].inclTax), currency: currency).netted(at: rate, rounding: .halfUp).amount
                excl[index] = parts[index].inclTax < 0 ? -magnitude : magnitude
            }
            let remainder = split.exclTax.amount - indices.reduce(Int64(0)) { $0 + excl[$1] }
            let largest = indices.filter { if case .line = parts[$0].kind { true } else { false } }.max { parts[$0].inclTax < parts[$1].inclTax }
                ?? indices.max { parts[$0].inclTax < parts[$1].inclTax }
            if let largest { excl[largest] += remainder }
        }
        guard findings.isEmpty else { return .held(findings) }

        var lines: [ERPSalesOrderLine] = []
        for (index, part) in parts.enumerated() {
            switch part.kind {
            case .line(let number):
                let line = order.lines[number]
                let discount = try Money.sum(line.discounts.map(\.amountInclTax), in: currency).netted(at: line.vatRate, rounding: .halfUp)
                lines.append(ERPSalesOrderLine(lineNumber: line.lineNumber, sku: line.sku, quantity: line.quantity,
                                               unitPriceExclTax: line.unitPriceExclTax, vatRate: line.vatRate, discountExclTax: discount,
                                               totalExclTax: Money(amount: excl[index], currency: currency),
                                               unitPriceInclTax: line.unitPriceInclTax, totalInclTax: line.totalInclTax))
            case .charge(let number):
                charges[number].amountExclTax = Money(amount: excl[index], currency: currency)
            case .discount(let number):
                discounts[number].amountExclTax = Money(amount: -excl[index], currency: currency)
            }
        }
        let totalExcl = try Money.sum(rates.map(\.exclTax), in: currency)
        let totalTax = try Money.sum(rates.map(\.computedTax), in: currency)
        let rounding = try Money.sum(rates.map(\.rounding), in: currency)
        let totalIncl = try Money.sum(rates.map(\.inclTax), in: currency)
        return .built(Amounts(lines: lines, charges: charges, discounts: discounts, rates: rates, voucherPayments: voucherPayments,
                                rounding: rounding, totals: ERPOrderTotals(totalExclTax: totalExcl, totalTax: totalTax, totalInclTax: totalIncl)))
    }

    /// Whether `line` sells a gift card (its SKU starts with one of the configured prefixes).
    public func isGiftCard(_ line: SiteOrderLine) -> Bool {
        rules.giftCardSKUPrefixes.contains { line.sku.rawValue.hasPrefix($0) }
    }

    /// A gift card is a multi-purpose voucher: selling one is not a taxable supply (VAT is due
    /// when it is spent), so a gift card line taxed by the site is a real disagreement.
    private func giftCardFindings(_ order: SiteOrder) -> [Finding] {
        order.lines.filter { isGiftCard($0) && $0.vatRate != .zero }.map { line in
            Finding(code: .priceMismatch, kind: .priceMismatch, lineNumber: line.lineNumber,
                    message: "line \(line.lineNumber) sells a gift card, which is not taxed at sale, at \(line.vatRate) % VAT",
                    details: ["sku": line.sku.rawValue, "line_number": String(line.lineNumber),
                              "expected_vat_rate": "0", "found_vat_rate": line.vatRate.description])
        }
    }

    /// The ERP's sales order for `order`, sold to `customer` on `paymentTerms` (the rules' prepaid
    /// terms when nil); or the findings that hold it.
    public func salesOrder(for order: SiteOrder, customer: ERPCustomer, revision: Int, payments: [PaymentSummary],
                           paymentTerms: Code? = nil) throws(SchemaError) -> Outcome<ERPSalesOrder> {
        let amounts: Amounts
        switch try self.amounts(of: order) {
        case .built(let value): amounts = value
        case .held(let findings): return .held(findings)
        }
        let shipping = order.shippingLines.first
        return .built(ERPSalesOrder(
            externalReference: order.orderNumber, revision: revision, soldTo: customer.account, contactID: customer.contact,
            orderedAt: order.placedAt, currency: order.currency, language: order.language, billTo: order.billingAddress,
            shipTo: ShipTo(address: order.deliveryAddress, shippingMethod: shipping?.method ?? rules.defaultShippingMethod,
                           carrier: shipping?.carrier, relayPointID: order.relayPointID),
            lines: amounts.lines, charges: amounts.charges, discounts: amounts.discounts,
            roundingLine: amounts.rounding.amount == 0 ? nil : RoundingLine(amount: amounts.rounding, reason: Self.roundingReason),
            taxLines: amounts.taxLines,
            paymentTerms: paymentTerms ?? rules.paymentTerms, payments: payments + amounts.voucherPayments,
            totals: amounts.totals))
    }

    /// Why a rounding line exists.
    public static let roundingReason = "tax per VAT rate as charged on the site, against base × rate"
}
