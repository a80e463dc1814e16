import BusSchema

/// Builds the ERP's sales order from a site order, the way an ERP books it: amounts
/// excluding tax, computed from the site's unit prices, tax per VAT rate on the rate's base.
///
/// The site computes its totals including tax, line by line; the ERP's per-rate computation
/// can land a few cents away. Within the tolerance, an explicit rounding line makes the ERP
/// total equal the site's to the cent; beyond it, the order is held.
public struct ERPOrderBuilder: Sendable {
    /// The rules applied (charge code, payment terms, tolerance).
    public let rules: OrderIngestRules

    /// A builder applying `rules`.
    public init(rules: OrderIngestRules) {
        self.rules = rules
    }

    /// The ERP's totals for an order, next to the site's.
    public struct Reconciliation: Sendable, Equatable {
        /// Lines + charges − discounts, excluding tax.
        public var totalExclTax: Money
        /// The tax, per rate on the rate's base, summed.
        public var totalTax: Money
        /// What the customer pays, as the site computed it.
        public var siteTotalInclTax: Money
        /// Site total − (ERP total excluding tax + tax): what the rounding line must carry.
        public var difference: Money
    }

    /// One ERP line per site line: quantity × the site's unit price excluding tax (half-up),
    /// less the line's discounts turned to excluding tax at the line's rate (half-up).
    public func lines(of order: SiteOrder) throws(SchemaError) -> [ERPSalesOrderLine] {
        try order.lines.map { line throws(SchemaError) in
            let gross = try line.unitPriceExclTax.multiplied(by: line.quantity, rounding: .halfUp)
            let discount = try Money.sum(line.discounts.map(\.amountInclTax), in: order.currency).netted(at: line.vatRate, rounding: .halfUp)
            return ERPSalesOrderLine(lineNumber: line.lineNumber, sku: line.sku, quantity: line.quantity,
                                     unitPriceExclTax: line.unitPriceExclTax, vatRate: line.vatRate,
                                     discountExclTax: discount, totalExclTax: try gross.subtracting(discount))
        }
    }

    /// One charge per shipping line, at the site's amount excluding tax and rate.
    public func charges(of order: SiteOrder) -> [ERPCharge] {
        order.shippingLines.map { ERPCharge(code: rules.shippingChargeCode, label: $0.label, amountExclTax: $0.amountExclTax, vatRate: $0.vatRate) }
    }

    /// One discount per voucher and VAT rate it reduces: each voucher is split over the rates
    /// in proportion to the lines including tax (`VoucherSplit`), each part turned to
    /// excluding tax at its rate (half-up).
    public func discounts(of order: SiteOrder) throws(SchemaError) -> [ERPDiscount] {
        var weights: [Rate: Money] = [:]
        for line in order.lines { weights[line.vatRate] = try (weights[line.vatRate] ?? .zero(order.currency)).adding(line.totalInclTax) }
        var discounts: [ERPDiscount] = []
        for voucher in order.vouchers {
            for part in VoucherSplit.split(voucher.amountInclTax, over: weights) {
                discounts.append(ERPDiscount(code: voucher.code, amountExclTax: try part.amount.netted(at: part.rate, rounding: .halfUp), vatRate: part.rate))
            }
        }
        return discounts
    }

    /// The ERP's totals for `lines`, `charges` and `discounts`, against the site's total.
    public func reconcile(_ order: SiteOrder, lines: [ERPSalesOrderLine], charges: [ERPCharge], discounts: [ERPDiscount]) throws(SchemaError) -> Reconciliation {
        var bases: [Rate: Money] = [:]
        let zero = Money.zero(order.currency)
        for line in lines { bases[line.vatRate] = try (bases[line.vatRate] ?? zero).adding(line.totalExclTax) }
        for charge in charges { bases[charge.vatRate] = try (bases[charge.vatRate] ?? zero).adding(charge.amountExclTax) }
        for discount in discounts { bases[discount.vatRate] = try (bases[discount.vatRate] ?? zero).subtracting(discount.amountExclTax) }
        var totalExcl = zero
        var totalTax = zero
        for rate in bases.keys.sorted(by: >) {
            let base = bases[rate] ?? zero
            totalExcl = try totalExcl.adding(base)
            totalTax = try totalTax.adding(base.portion(at: rate, rounding: .halfUp))
        }
        let difference = try order.totals.totalInclTax.subtracting(totalExcl.adding(totalTax))
        return Reconciliation(totalExclTax: totalExcl, totalTax: totalTax, siteTotalInclTax: order.totals.totalInclTax, difference: difference)
    }

    /// The ERP's sales order for `order`, sold to `customer`; or, when the ERP total differs
    /// from the site's by more than the tolerance, the finding that holds it.
    public func salesOrder(for order: SiteOrder, customer: ERPCustomer, revision: Int, payments: [PaymentSummary]) throws(SchemaError) -> Result<ERPSalesOrder, Finding> {
        let lines = try lines(of: order)
        let charges = charges(of: order)
        let discounts = try discounts(of: order)
        let totals = try reconcile(order, lines: lines, charges: charges, discounts: discounts)
        let tolerance = try rules.tolerance(in: order.currency)
        guard totals.difference.amount.magnitude <= tolerance.amount.magnitude else {
            return .failure(Finding(
                code: .roundingBeyondTolerance, kind: .roundingBeyondTolerance,
                message: "the ERP total differs from the site's by \(totals.difference), more than the tolerance of \(tolerance)",
                details: ["expected_total": totals.siteTotalInclTax.description,
                          "found_total": try totals.totalExclTax.adding(totals.totalTax).description,
                          "difference": totals.difference.description, "tolerance": tolerance.description]))
        }
        let shipping = order.shippingLines.first
        return .success(ERPSalesOrder(
            externalReference: order.orderNumber, revision: revision, soldTo: customer.account, contactID: customer.contact,
            orderedAt: order.placedAt, currency: order.currency, language: order.language, billTo: order.billingAddress,
            shipTo: ShipTo(address: order.deliveryAddress, shippingMethod: shipping?.method ?? rules.defaultShippingMethod,
                           carrier: shipping?.carrier, relayPointID: order.relayPointID),
            lines: lines, charges: charges, discounts: discounts,
            roundingLine: totals.difference.amount == 0 ? nil : RoundingLine(amount: totals.difference, reason: Self.roundingReason),
            paymentTerms: rules.paymentTerms, payments: payments,
            totals: ERPOrderTotals(totalExclTax: totals.totalExclTax, totalTax: totals.totalTax, totalInclTax: totals.siteTotalInclTax)))
    }

    /// Why a rounding line exists.
    public static let roundingReason = "per-line rounding on the site"
}
