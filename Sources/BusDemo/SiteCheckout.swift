import BusSchema

/// A price the site shows for one SKU: public prices, and the B2B price list row if any.
struct SitePrice: Sendable {
    let exclTax: Money
    let inclTax: Money
    let vatRate: Rate
    let priceList: (minimum: Int, exclTax: Money, inclTax: Money)?
}

/// The site's checkout arithmetic: prices including tax, line by line, as web shops compute
/// them. order-ingest gives the ERP these amounts as they are (the site's total prevails).
enum SiteCheckout {
    /// Relay points customers pick: (id, shop name, street, postal code, city).
    static let relayPoints: [(id: String, shop: String, street: String, postalCode: String, city: String)] = [
        ("FR-75011-0042", "Relais Tabac Presse", "3 avenue Parmentier", "75011", "Paris"),
        ("FR-69002-0117", "Pressing de la Bourse", "18 rue de la Bourse", "69002", "Lyon"),
        ("FR-33000-0008", "Librairie Mollat Relais", "15 rue Vital-Carles", "33000", "Bordeaux"),
    ]

    /// A cart line: quantity × unit price including tax (half-up), less its promotion; the
    /// B2B price applies from its minimum quantity for business customers.
    static func line(_ number: Int, _ planned: PlannedLine, price: SitePrice, business: Bool) throws -> SiteOrderLine {
        var unitExcl = price.exclTax, unitIncl = price.inclTax
        if business, let row = price.priceList, planned.quantity >= row.minimum {
            unitExcl = row.exclTax
            unitIncl = row.inclTax
        }
        let quantity = DemoValues.quantity(planned.quantity)
        let gross = try unitIncl.multiplied(by: quantity, rounding: .halfUp)
        var discounts: [LineDiscount] = []
        if let percent = planned.discountPercent {
            let amount = try gross.portion(at: try DemoValues.rate("\(percent)"), rounding: .halfUp)
            discounts.append(LineDiscount(code: Code("PROMO\(percent)"), label: "-\(percent) %", amountInclTax: amount))
        }
        return try priced(SiteOrderLine(lineNumber: number, sku: planned.sku, label: planned.sku.rawValue, quantity: quantity,
                                        unitPriceExclTax: unitExcl, unitPriceInclTax: unitIncl, vatRate: price.vatRate,
                                        discounts: discounts, totalExclTax: gross, totalInclTax: gross))
    }

    /// `line` with its totals computed from quantity, unit price and discounts.
    static func priced(_ line: SiteOrderLine) throws -> SiteOrderLine {
        var line = line
        let gross = try line.unitPriceInclTax.multiplied(by: line.quantity, rounding: .halfUp)
        line.totalInclTax = try gross.subtracting(Money.sum(line.discounts.map(\.amountInclTax), in: gross.currency))
        line.totalExclTax = try line.totalInclTax.netted(at: line.vatRate, rounding: .halfUp)
        return line
    }

    /// The shipping line of a delivery choice; none (free) for home delivery from 80 € of goods.
    static func shipping(_ delivery: DeliveryChoice, linesInclTax: Money) throws -> ShippingLine? {
        let (method, carrier, label, cents): (String, String, String, Int64)
        switch delivery {
        case .home:
            guard linesInclTax.amount < 8000 else { return nil }
            (method, carrier, label, cents) = ("home", "colissimo", "Livraison à domicile", 490)
        case .express: (method, carrier, label, cents) = ("express", "chronopost", "Express 24 h", 990)
        case .relay: (method, carrier, label, cents) = ("relay", "mondialrelay", "Point relais", 390)
        }
        let incl = DemoValues.euros(cents), rate = try DemoValues.standardRate()
        return ShippingLine(method: Code(method), carrier: Code(carrier), label: label,
                            amountExclTax: try incl.netted(at: rate, rounding: .halfUp), amountInclTax: incl, vatRate: rate)
    }

    /// The order's totals: lines + shipping − vouchers; excluding tax, each amount netted at
    /// its rate (vouchers at the standard rate), the tax being the rest.
    static func totals(lines: [SiteOrderLine], shipping: [ShippingLine], vouchers: [Voucher]) throws -> OrderTotals {
        let currency = DemoValues.currency
        let linesIncl = try Money.sum(lines.map(\.totalInclTax), in: currency)
        let shippingIncl = try Money.sum(shipping.map(\.amountInclTax), in: currency)
        let vouchersIncl = try Money.sum(vouchers.map(\.amountInclTax), in: currency)
        let total = try linesIncl.adding(shippingIncl).subtracting(vouchersIncl)
        let excl = try Money.sum(lines.map(\.totalExclTax) + shipping.map(\.amountExclTax), in: currency)
            .subtracting(vouchersIncl.netted(at: try DemoValues.standardRate(), rounding: .halfUp))
        return OrderTotals(linesInclTax: linesIncl, shippingInclTax: shippingIncl, vouchersInclTax: vouchersIncl,
                           totalExclTax: excl, totalTax: try total.subtracting(excl), totalInclTax: total)
    }

    /// The payments at checkout: what each method covers and where it stands.
    static func payments(_ plan: PaymentPlan, total: Money) throws -> [PaymentSummary] {
        switch plan {
        case .card, .giftCardVoucherThenCard: return [PaymentSummary(method: .card, amount: total, status: .authorised)]
        case .paypal: return [PaymentSummary(method: .paypal, amount: total, status: .authorised)]
        case .bankTransfer: return [PaymentSummary(method: .bankTransfer, amount: total, status: .pending)]
        case .storeCreditThenCard(_, let spendCents):
            let credit = DemoValues.euros(min(spendCents, total.amount - 100))
            return [PaymentSummary(method: .creditNote, amount: credit, status: .paid),
                    PaymentSummary(method: .card, amount: try total.subtracting(credit), status: .authorised)]
        case .giftCardThenCard(let giftCents):
            let gift = DemoValues.euros(min(giftCents, total.amount - 100))
            return [PaymentSummary(method: .giftCard, amount: gift, status: .paid),
                    PaymentSummary(method: .card, amount: try total.subtracting(gift), status: .authorised)]
        }
    }

    /// The whole order a customer places, priced by `prices`.
    static func order(_ plan: OrderPlan, customer: OrderCustomer, language: LanguageCode, billing: PostalAddress,
                      delivery homeAddress: PostalAddress, prices: (SKU) -> SitePrice?) throws -> SiteOrder {
        var business = false
        if case .account(_, let isBusiness) = plan.buyer { business = isBusiness }
        var lines: [SiteOrderLine] = []
        for (index, planned) in plan.lines.enumerated() {
            guard let price = prices(planned.sku) else { throw DemoError("the site has no price for \(planned.sku)") }
            lines.append(try line(index + 1, planned, price: price, business: business))
        }
        if let stale = plan.staleSKU {
            // A page the site forgot to refresh: the SKU is no longer (or never was) sold.
            let price = SitePrice(exclTax: DemoValues.euros(1000), inclTax: DemoValues.euros(1200), vatRate: try DemoValues.standardRate(), priceList: nil)
            lines.append(try line(lines.count + 1, PlannedLine(sku: stale, quantity: 1, discountPercent: nil), price: price, business: false))
        }
        let linesIncl = try Money.sum(lines.map(\.totalInclTax), in: DemoValues.currency)
        let shipping = try shipping(plan.delivery, linesInclTax: linesIncl).map { [$0] } ?? []
        var vouchers = plan.voucherCents.map { [Voucher(code: Code("WELCOME\($0 / 100)"), label: "Bienvenue -\($0 / 100) €", amountInclTax: DemoValues.euros($0))] } ?? []
        if case .giftCardVoucherThenCard(let giftCents) = plan.payment {
            // What is left to pay after the other vouchers, less a euro for the card.
            let due = try totals(lines: lines, shipping: shipping, vouchers: vouchers).totalInclTax.amount
            vouchers.append(Voucher(code: Code("GC-\(plan.number.rawValue)"), label: "Carte cadeau", amountInclTax: DemoValues.euros(min(giftCents, due - 100)),
                                    kind: .multiPurpose))
        }
        let totals = try totals(lines: lines, shipping: shipping, vouchers: vouchers)
        var deliveryAddress = homeAddress
        var relayPointID: Code?
        if case .relay(let index) = plan.delivery {
            let point = relayPoints[index % relayPoints.count]
            relayPointID = Code(point.id)
            deliveryAddress = PostalAddress(recipientName: homeAddress.recipientName, companyName: point.shop, lines: [point.street],
                                            postalCode: point.postalCode, city: point.city, country: try DemoValues.country("FR"))
        }
        return SiteOrder(
            orderNumber: plan.number, placedAt: plan.placedAt, currency: DemoValues.currency, language: language, customer: customer,
            billingAddress: billing, deliveryAddress: deliveryAddress, relayPointID: relayPointID, lines: lines, shippingLines: shipping,
            vouchers: vouchers, payments: try payments(plan.payment, total: totals.totalInclTax), totals: totals)
    }

    /// The change a customer makes before preparation: one unit less on the first line
    /// with more than one, else the last line removed; with the order as it then stands.
    ///
    /// A change keeps the lines' unit prices (the message carries quantities only), so a line
    /// at a B2B price is never taken below the price's minimum quantity: the bus would rightly
    /// refuse a unit price the catalogue does not publish for that quantity.
    static func lowered(_ order: SiteOrder, prices: (SKU) -> SitePrice?) throws -> (change: [LineQuantityChange], order: SiteOrder)? {
        var changed = order
        let change: LineQuantityChange
        let lowerable = { (line: SiteOrderLine) -> Bool in
            guard line.quantity > DemoValues.quantity(1) else { return false }
            guard let row = prices(line.sku)?.priceList, line.unitPriceExclTax == row.exclTax else { return true }
            return line.quantity > DemoValues.quantity(row.minimum)
        }
        if let index = order.lines.firstIndex(where: lowerable) {
            var line = order.lines[index]
            let newQuantity = try line.quantity.subtracting(DemoValues.quantity(1))
            line.discounts = try line.discounts.map { discount in
                var scaled = discount
                // A promotion goes with the quantity: scaled, half-up.
                let units = discount.amountInclTax.amount * Int64(try required(Int(newQuantity.description), "quantity"))
                let old = Int64(try required(Int(line.quantity.description), "quantity"))
                scaled.amountInclTax = DemoValues.euros((units * 2 + old) / (old * 2))
                return scaled
            }
            line.quantity = newQuantity
            changed.lines[index] = try priced(line)
            change = LineQuantityChange(lineNumber: line.lineNumber, sku: line.sku, quantity: newQuantity)
        } else if order.lines.count > 1, let last = order.lines.last {
            changed.lines.removeLast()
            change = LineQuantityChange(lineNumber: last.lineNumber, sku: last.sku, quantity: .zero)
        } else {
            return nil
        }
        changed.totals = try totals(lines: changed.lines, shipping: order.shippingLines, vouchers: order.vouchers)
        return ([change], changed)
    }
}
