import BusRuntime
import BusSchema
import Foundation
import OrderIngestFlow
import Testing

extension OrderIngestRules: FlowRules {}

/// The rules file: documented defaults, a file lists only what it changes.
@Suite("order-ingest: rules file")
struct OrderIngestRulesFileTests {
    static func decode(_ json: String) throws -> OrderIngestRules {
        try RulesFile.decode(OrderIngestRules.self, from: Data(json.utf8), path: "orders.json")
    }

    @Test("an empty file gives the documented defaults")
    func defaults() throws {
        let rules = try Self.decode("{}")
        #expect(rules == .defaults)
        #expect(rules.guestAccount == "WEB-GUEST")
        #expect(rules.roundingTolerance == ExactDecimal(significand: 5, scale: 2))
        #expect(rules.importWhen == [.card: .whenAuthorised, .paypal: .whenAuthorised, .bankTransfer: .whenPaid,
                                     .voucher: .always, .giftCard: .always, .creditNote: .always])
        #expect(rules.releaseMode == .realTime)
        #expect(rules.schedule == nil)
        #expect(rules.checkCatalogPrices)
        #expect(rules.shippingChargeCode == "SHIPPING")
        #expect(rules.paymentTerms == "PREPAID")
        #expect(rules.timeZone == "Europe/Paris")
        #expect(rules.shippingVAT == .prorated)
        #expect(rules.publicPriceLists == ["PUBLIC", "PROMO"])
        #expect(rules.giftCardSKUPrefixes == ["GIFTCARD"])
    }

    @Test("the defaults documented in the README's order-ingest section are the code's")
    func documentedDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let page = try #require(readme.components(separatedBy: "### order-ingest (").dropFirst().first)
        let block = try #require(page.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "```").first)
        #expect(try Self.decode(block) == OrderIngestRules.defaults)
    }

    @Test("a file lists only what it changes, payment methods included")
    func partial() throws {
        let rules = try Self.decode(#"{"import_when": {"paypal": "when_paid"}, "release_mode": "batched", "release_times": ["06:00", "14:00"], "rounding_tolerance": "0.02"}"#)
        #expect(rules.importWhen[.paypal] == .whenPaid)
        #expect(rules.importWhen[.card] == .whenAuthorised)
        #expect(rules.schedule?.minutes == [360, 840])
        #expect(try rules.tolerance(in: .eur) == Money(amount: 2, currency: .eur))
        #expect(try rules.tolerance(in: .jpy) == Money(amount: 0, currency: .jpy), "0.02 yen rounds down to nothing")
        #expect(rules.guestAccount == "WEB-GUEST")
    }

    struct BadFile: Sendable, CustomTestStringConvertible {
        let json: String
        let field: String
        var testDescription: String { json }
    }

    @Test("a wrong value names its field and never falls back to the default", arguments: [
        BadFile(json: #"{"import_when": {"cheque": "always"}}"#, field: "import_when"),
        BadFile(json: #"{"import_when": {"card": "sometimes"}}"#, field: "import_when.card"),
        BadFile(json: #"{"release_mode": "batched"}"#, field: "release_mode"),
        BadFile(json: #"{"release_times": ["25:00"]}"#, field: "release_times"),
        BadFile(json: #"{"release_every_minutes": -5}"#, field: "release_every_minutes"),
        BadFile(json: #"{"rounding_tolerance": "-0.01"}"#, field: "rounding_tolerance"),
        BadFile(json: #"{"rounding_tolerance": 0.05}"#, field: "rounding_tolerance"),
        BadFile(json: #"{"guest_account": null}"#, field: "guest_account"),
        BadFile(json: #"{"time_zone": "Europe/Atlantis"}"#, field: "time_zone"),
        BadFile(json: #"{"shipping_vat": "highest"}"#, field: "shipping_vat"),
    ])
    func invalid(_ row: BadFile) {
        #expect {
            _ = try Self.decode(row.json)
        } throws: { error in
            (error as? RuntimeError)?.context["field"] == row.field
        }
    }
}
