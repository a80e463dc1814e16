import BusSchema
import Foundation
import StatusNotifierFlow
import Testing

/// "A credit note refunded to the original payment reaches the site and the customer", and
/// "store credit and gift cards get a code sent to the customer": each in the customer's
/// language, once, and the credit note in the order's history on `shop.order-tracking`.
@Suite("status-notifier: money back")
struct MoneyBackNotificationTests {
    static func creditNote(_ number: String, _ cents: Int64, refund: RefundMethod, at hour: Int = 50) -> ERPCreditNote {
        let tax = cents / 6
        return ERPCreditNote(creditNoteNumber: CreditNoteNumber(number), invoiceNumber: "FA-1", orderNumber: "WEB-1", accountCode: "C000001",
                             currency: .eur, totalExclTax: Money(amount: cents - tax, currency: .eur), totalTax: Money(amount: tax, currency: .eur),
                             totalInclTax: Money(amount: cents, currency: .eur), reason: .return, refundMethod: refund, issuedAt: Status.at(hour))
    }

    static let code = CreditCode.derive(.storeCredit, from: ["AV-2"])
    static let card = CreditCode.derive(.giftCard, from: ["WEB-1", "1", "1"])

    static func storeCredit() -> StoreCreditIssued {
        StoreCreditIssued(storeCreditID: "sc-AV-2", accountCode: "C000001", orderNumber: "WEB-1", amount: Money(amount: 1500, currency: .eur),
                          reason: .return, creditNoteNumber: "AV-2", expiresOn: LocalDate("2025-05-05"), issuedAt: Status.at(50), code: code)
    }

    static func giftCard() -> GiftCardIssued {
        GiftCardIssued(giftCardID: "gc-WEB-1-1-1", code: card, accountCode: "C000001", orderNumber: "WEB-1", sku: "GIFTCARD-50",
                       amount: Money(amount: 5000, currency: .eur), expiresOn: LocalDate("2025-05-03"), issuedAt: Status.at(2))
    }

    /// A bench with the site order (ordered in `orderLanguage`) and its customer (speaking `customerLanguage`).
    static func bench(orderLanguage: String = "fr", customerLanguage: String? = "de") throws -> NotifierBench {
        let bench = NotifierBench()
        if let customerLanguage {
            bench.tables = StaticTables([Topics.shopCustomers: ["acc_8f3k2m9q": try Status.customer(language: customerLanguage)]])
        }
        try bench.send(Status.siteOrder(language: orderLanguage))
        return bench
    }

    @Test("each way money goes back is notified once, with its template and only the values it needs", arguments: [
        ("refund", "order_refunded", ["amount": "19.90", "currency": "EUR", "credit_note_number": "AV-1"]),
        ("store credit", "store_credit_issued", ["amount": "15.00", "currency": "EUR", "code": code.rawValue, "expires_on": "2025-05-05"]),
        ("gift card", "gift_card_issued", ["amount": "50.00", "currency": "EUR", "code": card.rawValue, "expires_on": "2025-05-03"]),
    ])
    func notified(_ what: String, _ template: String, _ parameters: [String: String]) throws {
        let bench = try Self.bench()
        let send: () throws -> [FlowOutput] = {
            switch what {
            case "refund": try bench.send(Self.creditNote("AV-1", 1990, refund: .originalPayment))
            case "store credit": try bench.send(Self.storeCredit())
            default: try bench.send(Self.giftCard())
            }
        }
        _ = try send()
        _ = try send()
        #expect(bench.notifications.map(\.template.rawValue) == [template], "once, whatever comes again")
        let notification = try #require(bench.notifications.first)
        #expect(notification.parameters == parameters)
        #expect(notification.language.tag == "de", "the customer's language before the order's")
        #expect(notification.siteAccountID == "acc_8f3k2m9q")
        #expect(bench.outputs.first { $0.message is CustomerNotification }?.topic == Topics.shopNotifications)
        #expect(Status.codec.problems(CustomerNotification.self, in: Status.codec.encode(notification)).isEmpty)
    }

    @Test("language: the customer's, else the order's, else the fallback", arguments: [
        ("fr", "de" as String?, "de"), ("fr", nil, "fr"), ("es", "it", "it"),
    ])
    func language(_ ordered: String, _ customer: String?, _ expected: String) throws {
        let bench = try Self.bench(orderLanguage: ordered, customerLanguage: customer)
        try bench.send(Self.creditNote("AV-1", 1990, refund: .originalPayment))
        try bench.send(Self.storeCredit())
        #expect(bench.notifications.map(\.language.tag) == [expected, expected])
    }

    @Test("a credit note joins the order's documents on the site's tracking; store credit notes it without a refund notification", arguments: [
        (RefundMethod.originalPayment, ["order_refunded"]), (.storeCredit, []),
    ])
    func history(_ refund: RefundMethod, _ templates: [String]) throws {
        let bench = try Self.bench()
        try bench.send(Status.status(1, .validated, documents: [Status.acknowledgement]))
        try bench.send(Self.creditNote("AV-1", 1990, refund: refund))
        let documents = try #require(bench.tracking.last?.documents)
        #expect(documents.map(\.kind) == [.acknowledgement, .creditNote])
        #expect(documents.last?.number == "AV-1")
        #expect(bench.outputs.last { $0.message is TrackingUpdate }?.topic == Topics.shopOrderTracking)
        #expect(bench.notifications.map(\.template.rawValue) == ["order_confirmed"] + templates)
    }

    @Test("the rest of erp.lettering tells the customer nothing")
    func ignored() throws {
        let bench = try Self.bench()
        var credit = Self.storeCredit()
        credit.code = nil
        #expect(try bench.send(credit).isEmpty, "store credit issued before codes existed")
        #expect(bench.notifications.isEmpty)
    }
}
