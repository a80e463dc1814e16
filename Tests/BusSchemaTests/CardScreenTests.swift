import Foundation
import Testing
@testable import BusSchema

/// The card screen's harder cases: numbers hidden next to other digits, in member names and
/// behind JSON escapes are caught; phone, tracking and order numbers are not refused.
@Suite("Card screen: hidden numbers caught, known fields spared")
struct CardScreenTests {
    /// A Luhn-valid number of `count` digits starting with `prefix`.
    static func luhnValid(_ prefix: String, count: Int) -> String {
        var digits = prefix.compactMap(\.wholeNumberValue)
        while digits.count < count - 1 { digits.append(digits.count % 10) }
        let check = (0...9).first { CardNumberDetector.passesLuhn(digits + [$0]) } ?? 0
        return (digits + [check]).map(String.init).joined()
    }

    @Test("caught", arguments: [
        "4111 1111 1111 1111 43",              // a grouped card followed by other digits (the whole run fails Luhn)
        "order 12 4111 1111 1111 1111",        // preceded by other digits
        "4111-1111-1111-1111-7",
        "3782 822463 10005 99",                // an Amex layout followed by digits
        "{\"4111111111111111\": true}",        // a JSON member name
        "\\u0034111111111111111",              // a digit behind a \u escape
        "4111\\u00201111\\u00201111\\u00201111", // spaces behind \u escapes
        "4111\\u002D1111\\u002d1111-1111",     // dashes behind \u escapes, either case
    ])
    func caught(_ text: String) {
        #expect(CardNumberDetector.containsCardNumber(text), "\(text)")
    }

    @Test("not card numbers", arguments: [
        "+\(luhnValid("49151", count: 13))",   // an international phone number, Luhn-valid
        "call +\(luhnValid("3361", count: 15)) now",
        "12345 67890 12345 67890",             // 20 digits in groups no card is printed in
        "\\u0041111111111111111",              // an escaped letter glued to the digits
    ])
    func spared(_ text: String) {
        #expect(!CardNumberDetector.containsCardNumber(text), "\(text)")
    }

    @Test("masking reaches numbers behind escapes and beside other digits: no digit between the first six and the last four survives")
    func masking() {
        #expect(CardNumberDetector.mask("4111 1111 1111 1111 43") == "4111 11** **** 1111 43")
        #expect(CardNumberDetector.mask(Data("\"\\u0034111111111111111\"".utf8)) == Data("\"\\u003411111******1111\"".utf8))
        #expect(CardNumberDetector.mask(Data("4111\\u00201111\\u00201111\\u00201111".utf8))
                == Data("4111\\u002011**\\u0020****\\u00201111".utf8))
    }

    static let shipment = SchemaNode.object(
        .optional("tracking_number", .string(StringRule(maximumLength: 64, pattern: "^[A-Za-z0-9][A-Za-z0-9 -]{0,63}$", screensCardNumbers: false)), "t"),
        .optional("phone", .ref(.phone), "p"),
        .optional("order_number", .ref(.orderNumber), "o"),
        .optional("note", .text(maximumLength: 200), "n"))

    static func problems(_ json: String) throws -> [String] {
        SchemaValidator().problems(in: try JSONParser().parse(Data(json.utf8)), against: shipment).map(\.description)
    }

    @Test("fields whose meaning the schema knows are spared; free text and member names are screened")
    func byField() throws {
        let number = Self.luhnValid("4", count: 16)
        #expect(try Self.problems("{\"tracking_number\": \"\(number)\"}").isEmpty, "a carrier's tracking number")
        #expect(try Self.problems("{\"phone\": \"+\(Self.luhnValid("4915", count: 14))\"}").isEmpty, "an E.164 phone number")
        #expect(try Self.problems("{\"order_number\": \"\(number)\"}").isEmpty, "a marketplace order id")
        #expect(try Self.problems("{\"note\": \"\(number)\"}").count == 1, "free text is screened")
        #expect(try Self.problems("{\"\(number)\": 1}").count == 1, "an undeclared member named by a card number")
    }
}
