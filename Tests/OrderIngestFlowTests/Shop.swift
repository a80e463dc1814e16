import BusKafka
import BusSchema
import Foundation
import OrderIngestFlow

/// Carts computed the way a shop computes them (prices including tax, line by line), and
/// the tables order-ingest reads.
enum Shop {
    static let codec = MessageCodec()
    static let eur = Currency.eur

    static func money(_ cents: Int64) -> Money { Money(amount: cents, currency: eur) }
    static func quantity(_ text: String) -> Quantity { Quantity(text) ?? .zero }
    static func rate(_ text: String) -> Rate { Rate(text) ?? .zero }

    /// The instant `minutes` after 2030-03-04T00:00:00Z.
    static func at(minutes: Int) -> Instant {
        Instant(secondsSinceEpoch: 1_898_899_200 + Int64(minutes) * 60) ?? Instant(Date(timeIntervalSince1970: 0))
    }

    /// A line priced including tax: the unit price excluding tax is netted half-up; the line
    /// total is quantity × unit price (half-up) less a percentage and/or a fixed discount.
    static func line(_ number: Int, _ sku: String, _ qty: String, _ unitInclCents: Int64, _ vat: String,
                     percentOff: String? = nil, amountOffCents: Int64? = nil) -> SiteOrderLine {
        let unitIncl = money(unitInclCents)
        let rate = rate(vat)
        let unitExcl = (try? unitIncl.netted(at: rate, rounding: .halfUp)) ?? unitIncl
        let gross = (try? unitIncl.multiplied(by: quantity(qty), rounding: .halfUp)) ?? unitIncl
        var discounts: [LineDiscount] = []
        if let percentOff, let off = Rate(percentOff), let amount = try? gross.portion(at: off, rounding: .halfUp) {
            discounts.append(LineDiscount(code: Code("PCT\(percentOff.filter(\.isNumber))"), label: "-\(percentOff) %", amountInclTax: amount))
        }
        if let amountOffCents { discounts.append(LineDiscount(code: "FIXED", label: "fixed discount", amountInclTax: money(amountOffCents))) }
        let total = (try? gross.subtracting(Money.sum(discounts.map(\.amountInclTax), in: eur))) ?? gross
        return SiteOrderLine(lineNumber: number, sku: SKU(sku), quantity: quantity(qty), unitPriceExclTax: unitExcl, unitPriceInclTax: unitIncl,
                             vatRate: rate, discounts: discounts, totalExclTax: (try? total.netted(at: rate, rounding: .halfUp)) ?? total,
                             totalInclTax: total)
    }

    static func shipping(_ inclCents: Int64, _ vat: String = "20", method: Code = "home", carrier: Code? = "colissimo") -> ShippingLine {
        let incl = money(inclCents)
        return ShippingLine(method: method, carrier: carrier, label: "Delivery", amountExclTax: (try? incl.netted(at: rate(vat), rounding: .halfUp)) ?? incl,
                            amountInclTax: incl, vatRate: rate(vat))
    }

    static let france = CountryCode("FR")!
    static let french = LanguageCode("fr")!
    static let address = PostalAddress(recipientName: "Camille Martin", lines: ["12 rue des Lilas"], postalCode: "75011", city: "Paris", country: france)

    /// An order whose totals add up as the site computes them, paid in one payment.
    static func order(
        _ number: String, lines: [SiteOrderLine], shipping: [ShippingLine] = [], vouchers: [Int64] = [],
        account: String? = "acc-1", payment: PaymentMethod = .card, paymentStatus: PaymentStatus? = .authorised,
        relayPoint: String? = nil, billing: PostalAddress = Shop.address, delivery: PostalAddress = Shop.address,
        placedAt: Instant = Shop.at(minutes: 600)
    ) -> SiteOrder {
        let linesIncl = lines.reduce(Int64(0)) { $0 + $1.totalInclTax.amount }
        let shippingIncl = shipping.reduce(Int64(0)) { $0 + $1.amountInclTax.amount }
        let vouchersIncl = vouchers.reduce(Int64(0), +)
        let total = linesIncl + shippingIncl - vouchersIncl
        let excl = lines.reduce(Int64(0)) { $0 + $1.totalExclTax.amount } + shipping.reduce(Int64(0)) { $0 + $1.amountExclTax.amount }
            - ((try? money(vouchersIncl).netted(at: rate("20"), rounding: .halfUp))?.amount ?? 0)
        return SiteOrder(
            orderNumber: OrderNumber(number), placedAt: placedAt, currency: eur, language: french,
            customer: OrderCustomer(siteAccountID: account.map(SiteAccountID.init(rawValue:)), email: "camille@example.com", firstName: "Camille", lastName: "Martin"),
            billingAddress: billing, deliveryAddress: delivery, relayPointID: relayPoint.map(Code.init(rawValue:)),
            lines: lines, shippingLines: shipping,
            vouchers: vouchers.enumerated().map { Voucher(code: Code("VOUCHER\($0.offset)"), amountInclTax: money($0.element)) },
            payments: [PaymentSummary(method: payment, amount: money(total), status: paymentStatus)],
            totals: OrderTotals(linesInclTax: money(linesIncl), shippingInclTax: money(shippingIncl), vouchersInclTax: money(vouchersIncl),
                                totalExclTax: money(excl), totalTax: money(total - excl), totalInclTax: money(total)))
    }

    /// A catalogue entry selling `sku` (and `variants`) at `unitInclCents` including tax.
    static func entry(_ sku: String, _ unitInclCents: Int64, _ vat: String, variants: [String] = [], priceLists: [CatalogPrice] = []) -> CatalogEntry {
        let incl = money(unitInclCents)
        return CatalogEntry(sku: SKU(sku), name: [french: sku], categories: [], variants: variants.map { CatalogVariant(sku: SKU($0), options: ["size": $0]) },
                            images: [], unit: "C62", vatRate: rate(vat), priceExclTax: (try? incl.netted(at: rate(vat), rounding: .halfUp)) ?? incl,
                            priceInclTax: incl, priceLists: priceLists, publishedAt: at(minutes: 0))
    }

    /// The catalogue the carts of these tests buy from.
    static let catalogue: [CatalogEntry] = [
        entry("TEE", 1999, "20", variants: ["TEE-S", "TEE-M", "TEE-L"]), entry("TEE-PREMIUM", 2490, "20"),
        entry("BOOK", 399, "5.5"), entry("BOOK-HARDBACK", 795, "5.5"), entry("TEA", 1290, "10"), entry("TEA-LOOSE", 435, "10"),
        entry("COFFEE", 849, "10"), entry("MUG", 699, "20"), entry("BEANS", 1790, "5.5"), entry("SPOON", 115, "20"),
        entry("CANDY", 99, "20"), entry("PEN", 249, "20"), entry("CLIP", 35, "5.5"),
    ]

    static func link(_ account: String, _ code: String, contact: String? = nil, status: LinkStatus = .linked) -> IdentityLink {
        IdentityLink(siteAccountID: SiteAccountID(account), erpAccountCode: ERPAccountCode(code), erpContactID: contact.map(ERPContactID.init(rawValue:)),
                     status: status, matchedBy: .email, changedAt: at(minutes: 0))
    }

    static let links: [IdentityLink] = [link("acc-1", "C000001"), link("acc-b2b", "C000777", contact: "CT-12"), link("acc-gone", "C000002", status: .unlinked)]

    static var tables: StaticTables {
        StaticTables([
            Topics.shopCatalog: Dictionary(uniqueKeysWithValues: catalogue.map { ($0.sku.rawValue, $0 as any BusMessage) }),
            Topics.customerIdentity: Dictionary(uniqueKeysWithValues: links.map { ($0.siteAccountID.rawValue, $0 as any BusMessage) }),
        ])
    }

    /// The record an outside system would publish.
    static func record<M: BusMessage>(_ message: M, topic: String, key: String, id: String, time: Instant) -> ProducerRecord {
        let envelope = Envelope(for: M.self, id: id, source: "test/producer", time: time)
        return ProducerRecord(topic: topic, key: key, value: codec.encode(message), headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
    }
}
