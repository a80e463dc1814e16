import BusRuntime
import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

extension PaymentLettererRules: FlowRules {}

/// The rules file: documented defaults, only what changes listed, mistakes named.
@Suite("payment-letterer: rules file")
struct LettererRulesFileTests {
    static func load(_ json: String) throws(RuntimeError) -> PaymentLettererRules {
        try RulesFile.decode(PaymentLettererRules.self, from: Data(json.utf8), path: "payment-letterer.json")
    }

    @Test("an empty file gives the documented defaults")
    func defaults() throws {
        let rules = try Self.load("{}")
        #expect(rules == .defaults)
        #expect(rules.defaultJournal == "BQ-WEB")
        #expect(rules.overpaymentTolerance == ExactDecimal("0.05"))
        #expect(rules.storeCreditValidityDays == 365)
        #expect(rules.journals["card"] == "BQ-CARD")
        #expect(rules.overpaymentWaitMinutes == 60)
    }

    @Test("a file lists only what it changes; journal entries add to the defaults")
    func partial() throws {
        let rules = try Self.load(#"{"journals": {"card/stripe": "BQ-STRIPE", "paypal": "BQ-PP"}, "overpayment_tolerance": "1.00"}"#)
        #expect(rules.journals["card/stripe"] == "BQ-STRIPE")
        #expect(rules.journals["paypal"] == "BQ-PP")
        #expect(rules.journals["card"] == "BQ-CARD", "default entries stay")
        #expect(rules.overpaymentTolerance == ExactDecimal("1.00"))
        #expect(rules.storeCreditValidityDays == 365)
        #expect(try Self.load(#"{"overpayment_wait_minutes": 0}"#).overpaymentWaitMinutes == 0, "0: no wait")
        #expect(try Self.load(#"{"overpayment_wait_minutes": 43200}"#).overpaymentWaitMinutes == 43_200)
    }

    @Test("a mistake is named by its field", arguments: [
        (#"{"overpayment_tolerance": 0.05}"#, "overpayment_tolerance"),
        (#"{"overpayment_tolerance": "-1"}"#, "overpayment_tolerance"),
        (#"{"store_credit_validity_days": -3}"#, "store_credit_validity_days"),
        (#"{"store_credit_validity_days": null}"#, "store_credit_validity_days"),
        (#"{"journals": {"card": "BQ CARD"}}"#, "journals"),
        (#"{"default_journal": ""}"#, "default_journal"),
        (#"{"overpayment_wait_minutes": -1}"#, "overpayment_wait_minutes"),
        (#"{"overpayment_wait_minutes": 43201}"#, "overpayment_wait_minutes"),
        (#"{"overpayment_wait_minutes": "60"}"#, "overpayment_wait_minutes"),
    ])
    func invalid(_ json: String, _ field: String) {
        do {
            _ = try Self.load(json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.context["field"] == field)
        }
    }
}
