import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// The ERP order is built from the site's prices; within the tolerance an explicit rounding
/// line makes the ERP total equal the site's to the cent, beyond it the order is held.
/// Expected figures were worked out by hand (and by an independent decimal computation).
@Suite("order-ingest: ERP lines, tax and rounding")
struct RoundingTests {
    struct Cart: Sendable, CustomTestStringConvertible {
        let name: String
        let lines: [SiteOrderLine]
        var shipping: [ShippingLine] = []
        var vouchers: [Int64] = []
        /// The site's total, and the ERP's total excluding tax and tax, in cents.
        let siteTotal: Int64
        let erpExcl: Int64
        let erpTax: Int64
        /// The rounding line, in cents; nil when the order is held for it.
        let rounding: Int64?
        var testDescription: String { name }
    }

    static let carts: [Cart] = [
        Cart(name: "VAT 20 / 5.5 / 10 %, quantities 3 and 7, shipping at 20 %: no rounding needed",
             lines: [Shop.line(1, "TEE-M", "3", 1999, "20"), Shop.line(2, "BOOK", "7", 399, "5.5"), Shop.line(3, "TEA", "1", 1290, "10")],
             shipping: [Shop.shipping(590, "20")], siteTotal: 10670, erpExcl: 9309, erpTax: 1361, rounding: 0),
        Cart(name: "10 % off a line of 7 at 5.5 %, 3 at 20 %, shipping: +1 cent",
             lines: [Shop.line(1, "BOOK", "7", 399, "5.5", percentOff: "10"), Shop.line(2, "TEE-M", "3", 1999, "20")],
             shipping: [Shop.shipping(490, "20")], siteTotal: 9001, erpExcl: 7788, erpTax: 1212, rounding: 1),
        Cart(name: "5 € off a line of 3 at 10 %, 7 at 20 %, a 10 € voucher split over 20 and 10 %: -4 cents",
             lines: [Shop.line(1, "COFFEE", "3", 849, "10", amountOffCents: 500), Shop.line(2, "MUG", "7", 699, "20")],
             shipping: [Shop.shipping(690, "20")], vouchers: [1000], siteTotal: 6630, erpExcl: 5661, erpTax: 973, rounding: -4),
        Cart(name: "a 15 € voucher over 20, 10 and 5.5 %, free shipping: +3 cents",
             lines: [Shop.line(1, "TEE-PREMIUM", "3", 2490, "20"), Shop.line(2, "TEA-LOOSE", "7", 435, "10"), Shop.line(3, "BOOK-HARDBACK", "3", 795, "5.5")],
             vouchers: [1500], siteTotal: 11400, erpExcl: 9943, erpTax: 1454, rounding: 3),
        Cart(name: "2.5 kg at 5.5 %, 15 % off 7 at 20 %, shipping at 10 %: -2 cents",
             lines: [Shop.line(1, "BEANS", "2.5", 1790, "5.5"), Shop.line(2, "SPOON", "7", 115, "20", percentOff: "15")],
             shipping: [Shop.shipping(350, "10")], siteTotal: 5509, erpExcl: 5132, erpTax: 379, rounding: -2),
        Cart(name: "7 at 2.49 and 3 at 0.35, shipping: -3 cents",
             lines: [Shop.line(1, "PEN", "7", 249, "20"), Shop.line(2, "CLIP", "3", 35, "5.5")],
             shipping: [Shop.shipping(295, "20")], siteTotal: 2143, erpExcl: 1801, erpTax: 345, rounding: -3),
        Cart(name: "20 at 0.99: 12 cents apart, beyond the 5 cent tolerance: held",
             lines: [Shop.line(1, "CANDY", "20", 99, "20")], siteTotal: 1980, erpExcl: 1660, erpTax: 332, rounding: nil),
    ]

    @Test("each cart reconciled to the cent: ERP total excl. tax + tax + rounding line = the site's total", arguments: carts)
    func reconciles(_ cart: Cart) throws {
        let order = Shop.order("WEB-1", lines: cart.lines, shipping: cart.shipping, vouchers: cart.vouchers)
        #expect(order.validate().isEmpty, "the cart is one the site could send")
        #expect(order.totals.totalInclTax.amount == cart.siteTotal)
        let builder = ERPOrderBuilder(rules: .defaults)
        let lines = try builder.lines(of: order)
        let totals = try builder.reconcile(order, lines: lines, charges: builder.charges(of: order), discounts: builder.discounts(of: order))
        #expect(totals.totalExclTax.amount == cart.erpExcl)
        #expect(totals.totalTax.amount == cart.erpTax)
        switch try builder.salesOrder(for: order, customer: ERPCustomer(account: "C000001"), revision: 1, payments: order.payments) {
        case .success(let salesOrder):
            #expect(salesOrder.roundingLine?.amount.amount ?? 0 == cart.rounding)
            #expect(salesOrder.totals.totalInclTax == order.totals.totalInclTax, "the ERP total is the site's")
            #expect(salesOrder.totals.totalExclTax.amount + salesOrder.totals.totalTax.amount + (salesOrder.roundingLine?.amount.amount ?? 0) == cart.siteTotal)
            #expect(salesOrder.validate().isEmpty, "the ERP order's own arithmetic holds")
        case .failure(let finding):
            #expect(cart.rounding == nil, "held: \(finding)")
            #expect(finding.code == .roundingBeyondTolerance)
            #expect(finding.details["difference"] == "-0.12 EUR")
        }
    }

    struct ToleranceCase: Sendable, CustomTestStringConvertible {
        let tolerance: String
        let held: Bool
        var testDescription: String { "-4 cents against a tolerance of \(tolerance) → \(held ? "held" : "rounding line")" }
    }

    @Test("the tolerance is configurable: a difference at the tolerance passes, above it is held", arguments: [
        ToleranceCase(tolerance: "0.05", held: false), ToleranceCase(tolerance: "0.04", held: false),
        ToleranceCase(tolerance: "0.039", held: true), ToleranceCase(tolerance: "0", held: true),
    ])
    func tolerance(_ row: ToleranceCase) throws {
        var rules = OrderIngestRules.defaults
        rules.roundingTolerance = try #require(ExactDecimal(row.tolerance))
        let cart = Self.carts[2]
        let order = Shop.order("WEB-1", lines: cart.lines, shipping: cart.shipping, vouchers: cart.vouchers)
        let result = try ERPOrderBuilder(rules: rules).salesOrder(for: order, customer: ERPCustomer(account: "C000001"), revision: 1, payments: [])
        if case .failure = result { #expect(row.held) } else { #expect(!row.held) }
    }

    @Test("shipping and vouchers are their own lines; vouchers split by VAT rate")
    func chargesAndDiscounts() throws {
        let cart = Self.carts[2]
        let order = Shop.order("WEB-1", lines: cart.lines, shipping: cart.shipping, vouchers: cart.vouchers)
        let builder = ERPOrderBuilder(rules: .defaults)
        #expect(builder.charges(of: order) == [ERPCharge(code: "SHIPPING", label: "Delivery", amountExclTax: Shop.money(575), vatRate: Shop.rate("20"))])
        #expect(try builder.discounts(of: order) == [
            ERPDiscount(code: "VOUCHER0", amountExclTax: Shop.money(588), vatRate: Shop.rate("20")),
            ERPDiscount(code: "VOUCHER0", amountExclTax: Shop.money(268), vatRate: Shop.rate("10")),
        ])
        let lines = try builder.lines(of: order)
        #expect(lines.map(\.discountExclTax.amount) == [455, 0], "5 € including 10 % VAT is 4.55 € excluding it")
        #expect(lines.map(\.totalExclTax.amount) == [1861, 4081])
    }

    @Test("the published example order gives the published example ERP order")
    func publishedExample() throws {
        let order = try Shop.codec.decode(SiteOrder.self, from: Self.example("shop.order.v1.json"))
        let expected = try Shop.codec.decode(ERPSalesOrder.self, from: Self.example("erp.sales-order.v1.json"))
        let built = try ERPOrderBuilder(rules: .defaults).salesOrder(for: order, customer: ERPCustomer(account: "C004699"), revision: 1, payments: order.payments)
        let salesOrder = try built.get()
        #expect(salesOrder.lines == expected.lines)
        #expect(salesOrder.discounts == expected.discounts)
        #expect(salesOrder.roundingLine == expected.roundingLine)
        #expect(salesOrder.totals == expected.totals)
        #expect(salesOrder.shipTo.relayPointID == expected.shipTo.relayPointID)
        #expect(salesOrder.shipTo.address == order.deliveryAddress, "the relay point's address is the ship-to")
    }

    static func example(_ name: String) throws -> Data {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try Data(contentsOf: root.appendingPathComponent("topics/examples").appendingPathComponent(name))
    }
}
