import BusSchema
import Foundation
import PaymentLettererFlow
import Testing

/// Card data never crosses: a payment carrying anything that looks like a card number (13 to
/// 19 digits, grouped by single spaces or dashes, passing the Luhn check) is refused as the
/// runtime reads it, before the flow sees it; the runtime then dead-letters it masked.
@Suite("payment-letterer: card data")
struct CardDataTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var sentence: String
        /// The payment's provider reference.
        var reference = "pi_3PbQx2LkdIwHu7ix0TfKq9aB"
        /// Free text in an extra member the schema does not declare (readers ignore such members, but screen them).
        var note: String?
        var refused: Bool
        var testDescription: String { sentence }
    }

    static let rows: [Row] = [
        Row(sentence: "a valid number inside free text is refused", note: "customer paid with 4111111111111111 yesterday", refused: true),
        Row(sentence: "a number split by spaces is refused", note: "card 4111 1111 1111 1111", refused: true),
        Row(sentence: "a number split by dashes is refused", note: "card 4111-1111-1111-1111", refused: true),
        Row(sentence: "a valid number as the provider reference is refused", reference: "4111111111111111", refused: true),
        Row(sentence: "a valid number after an underscore is refused", reference: "pi_4111111111111111", refused: true),
        Row(sentence: "13 digits passing Luhn are refused", note: "4222222222222", refused: true),
        Row(sentence: "15 digits passing Luhn (Amex) are refused", note: "378282246310005", refused: true),
        Row(sentence: "19 digits passing Luhn are refused", note: "6011000000000000001", refused: true),
        Row(sentence: "12 digits are never a card number", note: "ref 411111111111", refused: false),
        Row(sentence: "20 digits are never a card number, even when a 16-digit part passes Luhn", note: "41111111111111110000", refused: false),
        Row(sentence: "16 digits failing Luhn are accepted", note: "4111111111111112", refused: false),
        Row(sentence: "a double space ends a run: 4 + 12 digits are no card number", note: "4111  1111 1111 1111", refused: false),
        Row(sentence: "digits glued to letters belong to an identifier", reference: "pi4111111111111111", refused: false),
        Row(sentence: "an ordinary payment is accepted", refused: false),
    ]

    @Test("card numbers in a payment", arguments: rows)
    func screened(_ row: Row) throws {
        var payment = Pay.payment("pay_1", .card, 5050)
        payment.providerReference = row.reference
        var text = String(decoding: Pay.codec.encode(payment), as: UTF8.self)
        if let note = row.note { text = "{\"note\":\"\(note)\"," + text.dropFirst() }
        let envelope = Envelope(for: SitePayment.self, id: "evt-1", source: "site/checkout", time: Pay.start)
        let read = Result { try MessageRegistry.standard.decode(envelope, payload: Data(text.utf8)) }
        switch read {
        case .success:
            #expect(!row.refused, "accepted")
        case .failure(let error as SchemaError):
            #expect(row.refused, "refused: \(error.code)")
            #expect(error.code == .forbiddenContent)
            #expect(!error.reason.contains("1111") && !error.reason.contains("2222"), "the reason never quotes the number")
        case .failure(let error):
            Issue.record("unexpected \(type(of: error))")
        }
    }

    @Test("a member named like card data is refused whatever it holds")
    func cardFieldName() throws {
        let text = "{\"card_number\":\"x\"," + String(decoding: Pay.codec.encode(Pay.payment("pay_1", .card, 5050)), as: UTF8.self).dropFirst()
        let envelope = Envelope(for: SitePayment.self, id: "evt-1", source: "site/checkout", time: Pay.start)
        #expect(throws: SchemaError.self) { try MessageRegistry.standard.decode(envelope, payload: Data(text.utf8)) }
    }
}
