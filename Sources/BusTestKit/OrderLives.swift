import BusSchema
import Foundation

/// The inputs of orders' whole lives, for replay tests and soak simulations: a guest order of
/// one mug, paid by card at once, validated, shipped and invoiced the next day, delivered the
/// day after. Times are given; nothing reads the clock, so a seed of times always gives the
/// same inputs and ids.
public enum OrderLives {
    /// One input, for whichever flows read its topic.
    public struct Step: Sendable {
        /// When it happens (its CloudEvents time).
        public var at: Instant
        /// The input.
        public var input: FlowInput
    }

    /// 2030-01-01T00:00:00Z: where the tests' and the soak's simulated time begins.
    public static let start = Instant(secondsSinceEpoch: 1_893_456_000)!

    /// `days` (fractions allowed) after `start`.
    public static func day(_ days: Double) -> Instant { start.adding(seconds: Int64(days * 86_400)) }

    /// The SKU every order buys.
    public static let sku = SKU("MUG")
    /// 12.00 EUR including 20 % VAT.
    public static let price = Money(amount: 1200, currency: .eur)
    static let excl = Money(amount: 1000, currency: .eur)
    static let vat = Rate("20") ?? .zero
    static let address = PostalAddress(recipientName: "Sim Ulated", lines: ["1 rue du Test"], postalCode: "75011", city: "Paris",
                                       country: CountryCode("FR")!)

    /// The catalogue and identity tables order-ingest needs for these orders.
    public static var tables: StaticTables {
        let entry = CatalogEntry(sku: sku, name: [LanguageCode("fr")!: "Mug"], categories: [], variants: [], images: [], unit: "C62",
                                 vatRate: vat, priceExclTax: excl, priceInclTax: price, priceLists: [], publishedAt: Instant(Date(timeIntervalSince1970: 0)))
        return StaticTables([Topics.shopCatalog: [sku.rawValue: entry]])
    }

    /// The number of order `index`: "SIM-<index>".
    public static func number(_ index: Int) -> OrderNumber { OrderNumber("SIM-\(index)") }

    /// The site's placement of order `index` at `at`.
    public static func siteOrder(_ index: Int, at: Instant) -> SiteOrder {
        let line = SiteOrderLine(lineNumber: 1, sku: sku, quantity: Quantity(1), unitPriceExclTax: excl, unitPriceInclTax: price,
                                 vatRate: vat, discounts: [], totalExclTax: excl, totalInclTax: price)
        return SiteOrder(
            orderNumber: number(index), placedAt: at, currency: .eur, language: LanguageCode("fr")!,
            customer: OrderCustomer(siteAccountID: nil, email: "sim@example.com", firstName: "Sim", lastName: "Ulated"),
            billingAddress: address, deliveryAddress: address, relayPointID: nil, lines: [line], shippingLines: [], vouchers: [],
            payments: [PaymentSummary(method: .card, amount: price, status: .authorised)],
            totals: OrderTotals(linesInclTax: price, shippingInclTax: .zero(.eur), vouchersInclTax: .zero(.eur),
                                totalExclTax: excl, totalTax: Money(amount: 200, currency: .eur), totalInclTax: price))
    }

    /// The card capture of order `index`.
    public static func payment(_ index: Int, at: Instant) -> SitePayment {
        SitePayment(paymentID: PaymentID("pay-\(index)"), orderNumber: number(index), kind: .capture, method: .card, amount: price,
                    provider: "stripe", providerReference: "ch_\(index)", cardBrand: .visa, occurredAt: at)
    }

    /// An ERP status of order `index`.
    public static func status(_ index: Int, _ status: OrderStatus, sequence: Int, at: Instant) -> ERPOrderStatus {
        ERPOrderStatus(orderNumber: number(index), erpOrderReference: Code("SO-\(index)"), status: status, sequence: sequence,
                       statusAt: at, shipments: [], problems: [], documents: [])
    }

    /// The invoice of order `index`, for the guest account.
    public static func invoice(_ index: Int, account: ERPAccountCode, at: Instant) -> ERPInvoice {
        ERPInvoice(invoiceNumber: InvoiceNumber("FA-\(index)"), orderNumber: number(index), accountCode: account, currency: .eur,
                   totalExclTax: excl, totalTax: Money(amount: 200, currency: .eur), totalInclTax: price, issuedAt: at, dueOn: at.utcDate,
                   documentURL: "https://erp.example.com/FA-\(index).pdf")
    }

    /// `message` as an input of `topic` at `at`, with an id made of `name`.
    public static func input<M: BusMessage>(_ message: M, topic: String, key: String, name: String, at: Instant) -> FlowInput {
        let envelope = Envelope(for: M.self, id: EventID.fromFacts("sim", [name]).rawValue, source: "sim/\(topic)", time: at)
        return FlowInput(envelope: envelope, message: message, key: key, topic: topic)
    }
}

extension OrderLives {
    /// The inputs of order `index`'s life that a flow reading `topics` gets, placed at
    /// `placedAt`: placement, capture a minute later, validated after ten minutes, shipped and
    /// invoiced a day later, delivered the day after. `salesOrder` adds order-ingest's ERP order
    /// (for the payment-letterer) a second after the placement.
    public static func life(_ index: Int, placedAt: Instant, topics: Set<String>, salesOrder: ERPSalesOrder? = nil) -> [FlowInput] {
        let key = number(index).rawValue
        var inputs: [FlowInput] = [
            input(siteOrder(index, at: placedAt), topic: Topics.shopOrders, key: key, name: "o-\(index)", at: placedAt),
        ]
        if let salesOrder {
            inputs.append(input(salesOrder, topic: Topics.erpSalesOrders, key: key, name: "so-\(index)", at: placedAt.adding(seconds: 1)))
        }
        inputs.append(input(payment(index, at: placedAt.adding(seconds: 60)), topic: Topics.shopPayments, key: key, name: "p-\(index)", at: placedAt.adding(seconds: 60)))
        for (sequence, (status, offset)) in [(OrderStatus.validated, Int64(600)), (.shipped, 86_400), (.delivered, 172_800)].enumerated() {
            let at = placedAt.adding(seconds: offset)
            inputs.append(input(self.status(index, status, sequence: sequence + 1, at: at), topic: Topics.erpOrderStatus, key: key,
                                name: "s-\(index)-\(sequence)", at: at))
            if status == .shipped {
                inputs.append(input(invoice(index, account: "WEB-GUEST", at: at), topic: Topics.erpInvoices, key: key, name: "i-\(index)", at: at))
            }
        }
        return inputs.filter { topics.contains($0.topic) }
    }

    /// The lives of orders `0..<count`, one placed every `spacing` seconds from `start`, merged in time order.
    public static func lives(_ count: Int, from start: Instant, spacing: Int64, topics: Set<String>,
                             salesOrder: (Int) -> ERPSalesOrder? = { _ in nil }) -> [FlowInput] {
        (0..<count).flatMap { index in
            life(index, placedAt: start.adding(seconds: Int64(index) * spacing), topics: topics, salesOrder: salesOrder(index))
        }
        .enumerated().sorted { ($0.element.envelope.time, $0.offset) < ($1.element.envelope.time, $1.offset) }.map(\.element)
    }
}
