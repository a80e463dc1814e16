import BusSchema
import CustomerSyncFlow
import Foundation
import Testing

@Suite("customer-sync: rules file and bad input")
struct RulesAndInputTests {
    static func decode(_ json: String) throws -> CustomerSyncRules {
        try JSONDecoder().decode(CustomerSyncRules.self, from: Data(json.utf8))
    }

    @Test("an empty file gives the defaults")
    func defaults() throws {
        let rules = try Self.decode("{}")
        #expect(rules == .defaults)
        #expect(rules.orderingToleranceMs == 2000)
        #expect(rules.matchUnverifiedEmail == false)
        #expect(rules.owners.count == CustomerField.allCases.count)
    }

    @Test("a file changes only the owners it lists")
    func partialOwners() throws {
        let rules = try Self.decode(#"{"owners": {"delivery_addresses": "shared", "phone": "erp"}, "ordering_tolerance_ms": 500}"#)
        #expect(rules.owners[.deliveryAddresses] == .shared)
        #expect(rules.owners[.phone] == .erp)
        #expect(rules.owners[.vatNumber] == .erp && rules.owners[.email] == .site)
        #expect(rules.orderingToleranceMs == 500)
    }

    @Test("bad values and unknown fields are refused, not defaulted", arguments: [
        #"{"owners": {"shoe_size": "erp"}}"#, #"{"owners": {"phone": "nobody"}}"#, #"{"ordering_tolerance_ms": -1}"#,
        #"{"ordering_tolerance_ms": "2s"}"#, #"{"match_unverified": true}"#, #"{"match_unverified_email": null}"#,
    ])
    func refused(_ json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(json) }
    }

    static func input<M: BusMessage>(_ message: M, topic: String, key: String?) -> FlowInput {
        FlowInput(envelope: Envelope(for: M.self, id: "x", source: "test", time: Fixture.t0), message: message, key: key, topic: topic)
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let input: FlowInput
        let field: String?
    }

    static let bad: [Bad] = [
        Bad(testDescription: "a site account on erp.customers", input: input(Fixture.site(), topic: Topics.erpCustomers, key: "acc_1"), field: nil),
        Bad(testDescription: "an internal record without a route key", input: input(Fixture.site(), topic: CustomerRoute.topic, key: "acc_1"), field: nil),
        Bad(testDescription: "an ERP account at a site account's home", input: input(Fixture.erp("C1"), topic: CustomerRoute.topic, key: "site:acc_1"), field: nil),
    ]

    @Test("bad input is refused with a reason (and the field) for the dead-letter topic, never with personal data", arguments: bad)
    func rejected(_ rule: Bad) {
        var state = FlowState(store: StateStore<CustomerSyncState>())
        do {
            _ = try CustomerSyncFlow().handle(rule.input, state: &state, tables: StaticTables())
            Issue.record("accepted")
        } catch let rejection as FlowRejection {
            #expect(rejection.field == rule.field)
            #expect(!rejection.reason.contains("camille") && !rejection.reason.contains("Martin"))
        } catch {
            Issue.record("not a FlowRejection: \(error)")
        }
        #expect(state.changes.isEmpty)
    }
}
