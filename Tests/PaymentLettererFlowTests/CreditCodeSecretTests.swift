import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

/// Store credit and gift card codes keyed by the worker's secret: the same facts give the same
/// code under the same secret (a replay issues the same), another secret another code, and no
/// one who knows only the credit note or order number can compute it.
@Suite("payment-letterer: credit codes keyed by a secret")
struct CreditCodeSecretTests {
    static let secret = CreditCodeSecret("k3y-\(String(repeating: "7", count: 28))")
    static let other = CreditCodeSecret("another-secret-of-32-bytes-long!")

    @Test("a secret shorter than 16 bytes is refused; one of 16 is taken; its description never shows it")
    func secretLength() throws {
        #expect(CreditCodeSecret("fifteen-bytes!!") == nil)
        let secret = try #require(CreditCodeSecret("sixteen-bytes!!!"))
        #expect("\(secret)" == "<credit code secret>" && String(reflecting: secret) == "<credit code secret>")
    }

    @Test("store credit for AV-1: well formed, the same under the same secret, another under another secret or none")
    func storeCreditCode() throws {
        let secret = try #require(Self.secret)
        let codes = try [Self.secret, Self.secret, Self.other, nil].map { key in
            let bench = LettererBench(secret: key)
            try bench.send(Pay.payment("p1", .card, 5050))
            try bench.send(Pay.invoice("FA-1", 5050))
            try bench.send(Pay.creditNote("AV-1", 1500, refund: .storeCredit))
            return try #require(bench.storeCredits.first?.code)
        }
        #expect(codes.allSatisfy(\.isWellFormed) && codes.allSatisfy { $0.kind == .storeCredit })
        #expect(codes[0] == codes[1], "the same facts and secret: the same code, so a replay issues the same")
        #expect(codes[0] != codes[2], "another secret, another code")
        #expect(codes[3] == CreditCode.derive(.storeCredit, from: ["AV-1"]), "without a secret: derived from the number alone, as before")
        #expect(codes[0] != codes[3], "with a secret, the number alone does not give the code")
        #expect(codes[0] == OrderAccount.storeCreditCode(of: "AV-1", secret: secret))
    }

    @Test("a code keyed by the secret is spent on another order like any other: its balance is found under it")
    func spendKeyedCode() throws {
        let bench = LettererBench(secret: Self.secret)
        try bench.send(Pay.payment("p1", .card, 5050))
        try bench.send(Pay.invoice("FA-1", 5050))
        try bench.send(Pay.creditNote("AV-1", 1500, refund: .storeCredit))
        try bench.deliverForwarded()
        let code = try #require(bench.storeCredits.first?.code)
        try bench.send(Pay.payment("p2", order: "WEB-2", .creditNote, 1000, reference: code.rawValue, at: 10))
        try bench.deliverForwarded()
        #expect(bench.decisions.map(\.outcome) == [.accepted])
        #expect(bench.decisions.first?.balance == Pay.euros(500))
    }

    @Test("codes of 2,000 credit notes under a secret: all distinct, and none equal to its fact-derived code")
    func distinct() throws {
        let secret = try #require(Self.secret)
        let keyed = (0..<2_000).map { OrderAccount.storeCreditCode(of: CreditNoteNumber("AV-\($0)"), secret: secret) }
        let plain = (0..<2_000).map { OrderAccount.storeCreditCode(of: CreditNoteNumber("AV-\($0)")) }
        #expect(Set(keyed).count == keyed.count)
        #expect(zip(keyed, plain).allSatisfy { $0 != $1 })
        #expect(Set(keyed).isDisjoint(with: plain))
    }
}
