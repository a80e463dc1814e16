import Foundation
import Testing
@testable import BusSchema

@Suite struct CardNumberDetectorTests {
    @Test(arguments: [
        ("4111111111111111", true), ("4111 1111 1111 1111", true), ("4111-1111-1111-1111", true),
        ("378282246310005", true), ("4222222222222", true), ("6011111111111117", true), ("5555555555554444", true),
        ("paid with 4111 1111 1111 1111, thanks", true), ("ref:4111111111111111.", true),
        ("4111111111111112", false), ("411111111111", false), ("4111  1111 1111 1111", false), ("4111--1111-1111-1111", false),
        ("a4111111111111111", false), ("4111111111111111b", false), ("550e8400-e29b-41d4-a716-446655440000", false),
        ("+33612345678", false), ("2024-05-03T10:15:30Z", false), ("", false), ("no digits", false),
    ])
    func detects(_ text: String, _ expected: Bool) {
        #expect(CardNumberDetector.containsCardNumber(text) == expected)
    }

    @Test func twentyDigitRunsAreNotCardNumbers() throws {
        let body = Array(repeating: 4, count: 19)
        let check = try #require((0...9).first { CardNumberDetector.passesLuhn(body + [$0]) })
        let twenty = (body + [check]).map(String.init).joined()
        #expect(CardNumberDetector.passesLuhn((body + [check])))
        #expect(!CardNumberDetector.containsCardNumber(twenty))
        let twelve = try #require((0...9).first { CardNumberDetector.passesLuhn(Array(repeating: 4, count: 11) + [$0]) })
        #expect(!CardNumberDetector.containsCardNumber(String(repeating: "4", count: 11) + String(twelve)))
    }

    @Test(arguments: [
        ([4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], true), ([0], true), ([1, 8], true), ([1, 9], false), ([], false), ([7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3], true),
    ] as [([Int], Bool)])
    func luhn(_ digits: [Int], _ expected: Bool) {
        #expect(CardNumberDetector.passesLuhn(digits) == expected)
    }

    @Test(arguments: [
        ("4111 1111 1111 1111", "4111 11** **** 1111"), ("Card 4111111111111111 ok", "Card 411111******1111 ok"),
        ("4111-1111-1111-1111", "4111-11**-****-1111"), ("no card 12345", "no card 12345"),
    ])
    func masksKeepingFirstSixAndLastFour(_ text: String, _ expected: String) {
        #expect(CardNumberDetector.mask(text) == expected)
        #expect(CardNumberDetector.mask(Data(text.utf8)) == Data(expected.utf8))
    }

    @Test func masksBytesThatAreNotUTF8() {
        let bytes = Data([0xFF, 0xFE] + Array("4111111111111111".utf8) + [0xC3])
        #expect(CardNumberDetector.mask(bytes) == Data([0xFF, 0xFE] + Array("411111******1111".utf8) + [0xC3]))
    }

    @Test(arguments: [("card_number", true), ("cardNumber", true), ("PAN", true), ("cvv", true), ("expiry-date", true), ("card_brand", false), ("panel", false)])
    func cardFieldNames(_ name: String, _ expected: Bool) {
        #expect(CardNumberDetector.isCardFieldName(name) == expected)
    }
}
