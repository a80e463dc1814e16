import Foundation

/// Finds and masks payment card numbers (PANs) in text, so that none ever travels on the bus.
///
/// A card number is a run of 13 to 19 digits, possibly split into groups by single spaces
/// or dashes ("4111 1111 1111 1111", "4111-1111-1111-1111"), that passes the Luhn check.
/// Runs are maximal: a 12- or 20-digit run is not a card number, and no shorter window
/// inside a longer run is considered. Runs are found anywhere, free text included, except
/// when glued to a letter ("a716-4466554400001"): such digits belong to an identifier such
/// as a UUID, not to a card number someone typed or pasted.
public enum CardNumberDetector {
    /// Whether `text` contains at least one card number.
    public static func containsCardNumber(_ text: String) -> Bool {
        !cardNumberRanges(in: Array(text.utf8)).isEmpty
    }

    /// The byte ranges of every card number in `bytes` (UTF-8 or any ASCII-compatible encoding),
    /// each from its first to its last digit.
    public static func cardNumberRanges(in bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]) else { index += 1; continue }
            let start = index
            var digits: [Int] = []
            var end = index
            var cursor = index
            while cursor < bytes.count {
                let byte = bytes[cursor]
                if isDigit(byte) {
                    digits.append(Int(byte - UInt8(ascii: "0")))
                    cursor += 1
                    end = cursor
                } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-"),
                          cursor + 1 < bytes.count, isDigit(bytes[cursor + 1]) {
                    cursor += 1
                } else {
                    break
                }
            }
            let glued = (start > 0 && isLetter(bytes[start - 1])) || (end < bytes.count && isLetter(bytes[end]))
            if (13...19).contains(digits.count), !glued, passesLuhn(digits) { ranges.append(start..<end) }
            index = end
        }
        return ranges
    }

    /// `text` with each card number's digits replaced by `*` except the first 6 and the last 4;
    /// separators are kept ("4111 11** **** 1111"). Text without card numbers is returned unchanged.
    public static func mask(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let masked = mask(bytes: bytes)
        return masked == bytes ? text : String(decoding: masked, as: UTF8.self)
    }

    /// `data` with every card number masked as in `mask(_:)`, any other byte unchanged;
    /// works on bytes that are not JSON or not valid UTF-8 (dead letters).
    public static func mask(_ data: Data) -> Data {
        Data(mask(bytes: Array(data)))
    }

    /// Whether the digits (most significant first) pass the Luhn check; false for an empty list.
    public static func passesLuhn(_ digits: [Int]) -> Bool {
        guard !digits.isEmpty, digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            if position % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// Whether a field name says it holds card data ("card_number", "pan", "cvv", "expiry_date"...),
    /// ignoring case, `_`, `-` and spaces. Such fields are refused wherever they appear.
    public static func isCardFieldName(_ name: String) -> Bool {
        let folded = String(name.lowercased().unicodeScalars.filter { !["_", "-", " "].contains($0) })
        return cardFieldNames.contains(folded)
    }

    private static let cardFieldNames: Set<String> = [
        "cardnumber", "pan", "primaryaccountnumber", "cvv", "cvv2", "cvc", "cvc2", "cid", "cardcvv", "cardcvc",
        "securitycode", "cardsecuritycode", "creditcard", "creditcardnumber", "ccnumber", "ccnum", "cardno",
        "cardexpiry", "cardexpirydate", "expirydate", "expirationdate", "cardexpiration", "track1", "track2",
    ]

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func mask(bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        for range in cardNumberRanges(in: bytes) {
            let digitPositions = range.filter { isDigit(bytes[$0]) }
            for position in digitPositions.dropFirst(6).dropLast(4) { result[position] = UInt8(ascii: "*") }
        }
        return result
    }
}
