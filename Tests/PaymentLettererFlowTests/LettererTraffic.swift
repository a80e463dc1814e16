import BusKafka
import BusSchema
import BusTestKit
import Foundation
import PaymentLettererFlow
import Testing

/// Orders with payments and invoices as the site and the ERP would publish them, and the
/// checks their lettering must pass.
struct LettererTraffic {
    /// One order's facts.
    struct Order {
        var number: String
        var account: String
        var total: Int64
        var salesOrder: ERPSalesOrder?
        /// Distinct payments (what must be posted once each).
        var payments: [SitePayment]
        /// Repeats the site sends again (same payment id, or same provider reference under a new id).
        var repeats: [SitePayment]
        var invoices: [ERPInvoice]
    }

    var orders: [Order] = []

    /// `count` orders of every shape: one payment and one invoice; card + gift card + voucher on
    /// one invoice; one payment over two partial invoices; two payments over two invoices; some
    /// without sales order (the account then comes with the invoice), some with repeats.
    init(count: Int, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for index in 0..<count {
            let number = "WEB-\(200_000 + index)"
            let account = String(format: "C%06d", index)
            let total = Int64.random(in: 1_000...90_000, using: &rng)
            let shape = index % 4
            var amounts: [Int64] = [total]
            var methods: [PaymentMethod] = [.card]
            var invoiced: [Int64] = [total]
            switch shape {
            case 1:
                let gift = Int64.random(in: 1...(total / 2), using: &rng)
                let voucher = Int64.random(in: 1...(total / 4), using: &rng)
                amounts = [total - gift - voucher, gift, voucher]
                methods = [.card, .giftCard, .voucher]
            case 2:
                let first = Int64.random(in: 1...(total - 1), using: &rng)
                invoiced = [first, total - first]
            case 3:
                let paid = Int64.random(in: 1...(total - 1), using: &rng)
                let first = Int64.random(in: 1...(total - 1), using: &rng)
                amounts = [paid, total - paid]
                methods = [.card, .paypal]
                invoiced = [first, total - first]
            default:
                break
            }
            let payments = zip(amounts, methods).enumerated().map { k, pair in
                Pay.payment("pay_\(index)_\(k)", order: number, pair.1, pair.0, reference: "psp_\(index)_\(k)", at: index * 10 + k)
            }
            let invoices = invoiced.enumerated().map { k, amount in
                Pay.invoice("FA-\(index)-\(k)", order: number, amount, account: account, at: index * 10 + 5 + k)
            }
            var repeats: [SitePayment] = []
            if index % 10 == 7, let first = payments.first {
                repeats.append(first)
                var renamed = first
                renamed.paymentID = PaymentID("\(first.paymentID)_again")
                repeats.append(renamed)
            }
            let salesOrder = index % 5 == 4 ? nil : try Pay.salesOrder(order: number, total, account: account)
            orders.append(Order(number: number, account: account, total: total, salesOrder: salesOrder, payments: payments, repeats: repeats, invoices: invoices))
        }
    }

    /// Every record in a random interleaving; only each order's invoices keep their order, as
    /// the ERP issues them.
    func records(seed: UInt64) -> [ProducerRecord] {
        var rng = SplitMix64(seed: seed)
        var ranked: [(rank: UInt64, record: ProducerRecord)] = []
        for order in orders {
            let key = order.number
            for payment in order.payments + order.repeats { ranked.append((rng.next(), Pay.record(payment, key: key))) }
            if let salesOrder = order.salesOrder { ranked.append((rng.next(), Pay.record(salesOrder, key: key))) }
            let ranks = order.invoices.map { _ in rng.next() }.sorted()
            for (rank, invoice) in zip(ranks, order.invoices) { ranked.append((rank, Pay.record(invoice, key: key))) }
        }
        return ranked.sorted { $0.rank < $1.rank }.map(\.record)
    }

    var invoiceCount: Int { orders.reduce(0) { $0 + $1.invoices.count } }
    var paymentCount: Int { orders.reduce(0) { $0 + $1.payments.count } }

    /// The latest entry of each invoice, from every lettering record in topic order.
    static func latestEntries(_ entries: [LetteringEntry]) -> [InvoiceNumber: LetteringEntry] {
        var latest: [InvoiceNumber: LetteringEntry] = [:]
        for entry in entries {
            guard let invoice = entry.invoices.first?.invoiceNumber else { continue }
            if let seen = latest[invoice], seen.payments.count > entry.payments.count { continue }
            latest[invoice] = entry
        }
        return latest
    }

    /// Whether every invoice's latest entry is fully lettered.
    func fullyLettered(_ latest: [InvoiceNumber: LetteringEntry]) -> Bool {
        latest.count == invoiceCount && latest.values.allSatisfy { $0.status == .fullyLettered }
    }

    /// Every invoice fully lettered to the cent by receipts that exist, one receipt per payment
    /// (a repeat under a new payment id books nothing: whichever came first holds the receipt),
    /// no payment lettered beyond its amount.
    func check(receipts: [Receipt], entries: [LetteringEntry]) {
        let byReference = Dictionary(grouping: receipts, by: \.providerReference)
        let byID = Dictionary(grouping: receipts, by: \.receiptID)
        #expect(byReference.count == paymentCount && byID.count == paymentCount, "one receipt per distinct payment, repeats included in the traffic")
        #expect(byID.values.allSatisfy { Set($0.map { Pay.codec.encode($0) }).count == 1 }, "a receipt id always means the same receipt")
        let latest = Self.latestEntries(entries)
        var applied: [EventID: Int64] = [:]
        for order in orders {
            for payment in order.payments {
                let receipt = byReference[payment.providerReference]?.first
                #expect(receipt?.amount == payment.amount && receipt?.accountCode.rawValue == order.account, "\(payment.paymentID) booked on \(order.account)")
            }
            for invoice in order.invoices {
                guard let entry = latest[invoice.invoiceNumber] else {
                    Issue.record("\(invoice.invoiceNumber) never lettered")
                    continue
                }
                let lettered = entry.payments.reduce(0) { $0 + $1.amount.amount }
                #expect(entry.status == .fullyLettered && lettered == invoice.totalInclTax.amount, "\(invoice.invoiceNumber) lettered to the cent")
                for payment in entry.payments { applied[payment.receiptID, default: 0] += payment.amount.amount }
            }
        }
        #expect(applied.allSatisfy { byID[$0.key]?.first?.amount.amount == $0.value }, "every payment lettered exactly to its amount, by a receipt that was posted")
    }
}

extension ConsumedRecord {
    /// The record's message as `M`, or nil.
    func message<M: BusMessage>(_ type: M.Type) -> M? {
        guard let value, headers.string("ce_type") == M.messageType else { return nil }
        return try? Pay.codec.decode(type, from: value)
    }
}
