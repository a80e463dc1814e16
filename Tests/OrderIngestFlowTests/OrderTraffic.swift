import BusKafka
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow

/// A day of site traffic for the end-to-end tests: orders of every kind, with what the bus
/// must make of each.
struct OrderTraffic {
    /// What must become of an order.
    enum Fate: Equatable {
        /// Reaches the ERP once.
        case sent
        /// Held with this reason.
        case held(AcceptanceReasonCode)
        /// Refused by the schema: dead-lettered.
        case deadLettered
    }

    var orders: [SiteOrder] = []
    var fates: [OrderNumber: Fate] = [:]
    /// Records in publication order: the orders (and their repeats), then `payments`.
    var placements: [ProducerRecord] = []
    /// Captures for the orders waiting for a bank transfer, published later.
    var payments: [ProducerRecord] = []
    /// Orders paid by bank transfer, pending at placement.
    var unpaid: Set<OrderNumber> = []
    var guests: Set<OrderNumber> = []
    var relayPoints: Set<OrderNumber> = []
    /// Orders placed again with another content.
    var conflicting: Set<OrderNumber> = []

    static let sellable = Shop.catalogue.filter { $0.sku != "CANDY" }

    /// Every table record the worker must see before it starts: the catalogue and the links
    /// of `accounts` site accounts.
    static func tableRecords(accounts: Int) -> [ProducerRecord] {
        let entries = Shop.catalogue.map { Shop.record($0, topic: Topics.shopCatalog, key: $0.sku.rawValue, id: "cat-\($0.sku)", time: Shop.at(minutes: 0)) }
        let links = (0..<accounts).map { i in
            Shop.record(Shop.link("acc-\(i)", "C\(String(format: "%06d", 100 + i))"), topic: Topics.customerIdentity, key: "acc-\(i)", id: "link-\(i)", time: Shop.at(minutes: 0))
        }
        return entries + links
    }

    /// A random cart the site could send whose ERP total is within the tolerance.
    static func cart(_ number: String, random: inout SplitMix64, account: String?, payment: PaymentMethod = .card,
                     status: PaymentStatus = .authorised, relayPoint: String? = nil, minute: Int) -> SiteOrder {
        while true {
            let lines = (1...Int(random.next() % 3 + 1)).map { n -> SiteOrderLine in
                let entry = sellable[Int(random.next() % UInt64(sellable.count))]
                let sku = entry.variants.first.map { _ in entry.variants[Int(random.next() % UInt64(entry.variants.count))].sku } ?? entry.sku
                return Shop.line(n, sku.rawValue, String(random.next() % 3 + 1), entry.priceInclTax.amount, entry.vatRate.description,
                                 percentOff: random.next() % 4 == 0 ? "10" : nil)
            }
            let shipping = relayPoint != nil ? [Shop.shipping(390, method: "relay", carrier: "mondialrelay")] : (random.next() % 2 == 0 ? [Shop.shipping(490)] : [])
            let linesTotal = lines.reduce(Int64(0)) { $0 + $1.totalInclTax.amount }
            let vouchers: [Int64] = random.next() % 5 == 0 && linesTotal > 1500 ? [500] : []
            let order = Shop.order(number, lines: lines, shipping: shipping, vouchers: vouchers, account: account, payment: payment,
                                   paymentStatus: status, relayPoint: relayPoint, placedAt: Shop.at(minutes: minute))
            let built = try? ERPOrderBuilder(rules: .defaults).salesOrder(for: order, customer: ERPCustomer(account: "C000100"), revision: 1, payments: [])
            if case .built? = built { return order }
        }
    }

    /// `count` orders: a fifth from guests, relay points, bank transfers paid later, exact
    /// repeats, the same number with another content, orders held for each reason, and
    /// orders whose totals do not add up.
    init(count: Int, accounts: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var repeats: [ProducerRecord] = []
        for i in 0..<count {
            let number = OrderNumber("WEB-\(100_000 + i)")
            let account = "acc-\(i % accounts)"
            var order = Self.cart(number.rawValue, random: &random, account: account, minute: i)
            var fate = Fate.sent
            switch i % 20 {
            case 0...3:
                order = Self.cart(number.rawValue, random: &random, account: nil, minute: i)
                guests.insert(number)
            case 4:
                var relay = Self.cart(number.rawValue, random: &random, account: account, relayPoint: "FR-69002-\(i)", minute: i)
                relay.deliveryAddress = PostalAddress(companyName: "Relais \(i)", lines: ["1 place Bellecour"], postalCode: "69002", city: "Lyon", country: Shop.france)
                order = relay
                relayPoints.insert(number)
            case 5:
                order = Self.cart(number.rawValue, random: &random, account: account, payment: .bankTransfer, status: .pending, minute: i)
                unpaid.insert(number)
                payments.append(Shop.record(
                    SitePayment(paymentID: PaymentID("pay-\(i)"), orderNumber: number, kind: .capture, method: .bankTransfer,
                                amount: order.totals.totalInclTax, providerReference: "BANK-\(i)", occurredAt: Shop.at(minutes: count + i)),
                    topic: Topics.shopPayments, key: number.rawValue, id: "pay-\(i)", time: Shop.at(minutes: count + i)))
            case 6:
                (order, fate) = Self.held(order, kind: (i / 20) % 5)
            case 7:
                repeats.append(Shop.record(order, topic: Topics.shopOrders, key: number.rawValue, id: "repeat-\(i)", time: Shop.at(minutes: count + i)))
            case 8 where (i / 20) % 2 == 0:
                var other = order
                other.lines[0].label = "another cart under the same number"
                repeats.append(Shop.record(other, topic: Topics.shopOrders, key: number.rawValue, id: "other-\(i)", time: Shop.at(minutes: count + i)))
                conflicting.insert(number)
            case 8:
                order.totals.totalInclTax = Shop.money(order.totals.totalInclTax.amount + 100)
                fate = .deadLettered
            default:
                break
            }
            orders.append(order)
            fates[number] = fate
            placements.append(Shop.record(order, topic: Topics.shopOrders, key: number.rawValue, id: "order-\(i)", time: order.placedAt))
            if i % 50 == 49 { placements += repeats; repeats = [] }
        }
        placements += repeats
    }

    /// `order` broken so that it is held for one reason.
    static func held(_ order: SiteOrder, kind: Int) -> (SiteOrder, Fate) {
        var order = order
        switch kind {
        case 0:
            order.lines[0].sku = "DISCONTINUED"
            return (order, .held(.unknownSku))
        case 1:
            order.customer.siteAccountID = "acc-not-linked"
            return (order, .held(.unknownCustomer))
        case 2:
            order.deliveryAddress.postalCode = nil
            return (order, .held(.invalidAddress))
        case 3:
            // A line total one cent off, with totals that still add up, as a buggy cart would send.
            order.lines[0].totalInclTax = Shop.money(order.lines[0].totalInclTax.amount - 1)
            return (repriced(order), .held(.priceMismatch))
        default:
            // 20 × 0.99 € is no longer a rounding problem; a site tax per rate that does not
            // add up (50 cents too much at 20 %) is a real disagreement.
            var candy = Shop.order(order.orderNumber.rawValue, lines: [Shop.line(1, "CANDY", "20", 99, "20")], account: order.customer.siteAccountID?.rawValue,
                                   placedAt: order.placedAt)
            candy.customer = order.customer
            candy.totals.taxes = [RateTax(vatRate: Shop.rate("20"), tax: Shop.money(380))]
            candy.totals.totalTax = Shop.money(380)
            candy.totals.totalExclTax = Shop.money(1980 - 380)
            return (candy, .held(.roundingBeyondTolerance))
        }
    }

    /// `order` with totals and payment recomputed from its lines.
    static func repriced(_ order: SiteOrder) -> SiteOrder {
        var copy = Shop.order(order.orderNumber.rawValue, lines: order.lines, shipping: order.shippingLines,
                              vouchers: order.vouchers.map(\.amountInclTax.amount), account: order.customer.siteAccountID?.rawValue,
                              relayPoint: order.relayPointID?.rawValue, placedAt: order.placedAt)
        copy.customer = order.customer
        return copy
    }

    func orders(_ fate: Fate) -> [SiteOrder] { orders.filter { fates[$0.orderNumber] == fate } }
}
