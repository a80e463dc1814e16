import BusSchema
import CustomerSyncFlow
import Testing

/// "A new site account is matched to an existing ERP account by normalised email (trimmed, case-folded)."
@Suite("customer-sync: e-mail normalisation")
struct EmailMatchTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let a: String
        let b: String
        let same: Bool
        var testDescription: String { "'\(a)' and '\(b)' are \(same ? "" : "not ")the same e-mail" }
    }

    static let cases: [Case] = [
        Case(a: "camille@example.com", b: "camille@example.com", same: true),
        Case(a: "Camille.Martin@Example.COM", b: "camille.martin@example.com", same: true),
        Case(a: "  camille@example.com ", b: "camille@example.com", same: true),
        Case(a: "\tCAMILLE@EXAMPLE.COM\n", b: "camille@example.com", same: true),
        Case(a: "ÉLODIE@exemple.fr", b: "élodie@exemple.fr", same: true),
        Case(a: "camille@example.com", b: "camille@example.org", same: false),
        Case(a: "camille.martin@example.com", b: "camillemartin@example.com", same: false),
        Case(a: "camille+shop@example.com", b: "camille@example.com", same: false),
    ]

    @Test(arguments: cases)
    func normalisation(_ rule: Case) {
        #expect(EmailMatchKey.same(rule.a, rule.b) == rule.same)
        #expect((EmailMatchKey(email: rule.a) == EmailMatchKey(email: rule.b)) == rule.same, "the directory key follows the same rule")
    }

    @Test("the directory key is a pseudonym: the e-mail appears neither in it nor in the record key")
    func pseudonym() {
        let key = EmailMatchKey(email: "camille@example.com")
        #expect(!key.pseudonym.contains("camille"))
        #expect(!CustomerRoute.email(key).key.contains("example"))
        #expect(CustomerRoute(key: CustomerRoute.email(key).key) == .email(key))
    }

    @Test("internal keys name their meeting point, and nothing else parses",
          arguments: [("site:acc_1", CustomerRoute.site("acc_1")), ("account:C1", .account("C1"))] as [(String, CustomerRoute)])
    func routes(_ key: String, _ route: CustomerRoute) {
        #expect(CustomerRoute(key: key) == route)
        #expect(route.key == key)
    }

    @Test("malformed internal keys are not routes", arguments: ["acc_1", "site:", "order:1", ":x", ""])
    func badRoutes(_ key: String) {
        #expect(CustomerRoute(key: key) == nil)
    }
}
