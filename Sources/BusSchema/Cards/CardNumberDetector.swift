import Foundation

/// Finds and masks payment card numbers (PANs) in text, so that none ever travels on the bus.
///
/// A card number is a run of 13 to 19 digits, possibly split into groups by single spaces
/// or dashes ("4111 1111 1111 1111", "4111-1111-1111-1111"), that passes the Luhn check.
/// A whole run is judged first; a grouped run that fails is searched for consecutive groups
/// laid out as cards are printed (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4), so digits that follow or
/// precede a card ("4111 1111 1111 1111 42") do not hide it. JSON `\u` escapes of digits,
/// spaces and dashes ("\u0034111...") are read as what they stand for.
///
/// Not card numbers: digits glued to a letter ("a716-4466554400001": part of an identifier
/// such as a UUID), and a run right after `+` (a phone number in international form).
/// Fields whose meaning the schema knows (phone numbers, tracking numbers, order numbers,
/// GTINs) are not screened at all: see `StringRule.screensCardNumbers`.
public enum CardNumberDetector {
    /// Whether `text` contains at least one card number.
    public static func containsCardNumber(_ text: String) -> Bool {
        mayContainCardNumber(text.utf8) && !cardNumberRanges(in: Array(text.utf8)).isEmpty
    }

    /// False only when `bytes` certainly hold no card number: one pass, no allocation.
    ///
    /// A card number needs 13 digits in one run of digit groups (groups joined by a single
    /// space or dash) that is not glued to a letter before it nor follows a `+`. A
    /// backslash may start a `\u` escape of a digit, so it answers true and leaves the
    /// judgement to the full search. Over a whole JSON record, false means that no string,
    /// key or number in it can be a card number: every one of them is a run of these bytes
    /// (nothing is unescaped when there is no backslash), so decoding may skip screening.
    public static func mayContainCardNumber(_ bytes: some Sequence<UInt8>) -> Bool {
        var digitsInRun = 0
        var afterDigit = false
        var afterSeparator = false
        // A run glued to a letter before it (a UUID's last group) or after a `+` (a phone
        // number) is never searched by `cardNumbers`, so it is not counted here either. The
        // byte before a run inside a JSON string is the same in the string and in the record.
        var runExempt = false
        var previous: UInt8 = 0
        for byte in bytes {
            if isDigit(byte) {
                if !afterDigit, !afterSeparator {
                    digitsInRun = 0
                    runExempt = isLetter(previous) || previous == UInt8(ascii: "+")
                }
                digitsInRun += 1
                if digitsInRun >= 13, !runExempt { return true }
                afterDigit = true
                afterSeparator = false
            } else if afterDigit, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                afterDigit = false
                afterSeparator = true
            } else if byte == UInt8(ascii: "\\") {
                return true
            } else {
                afterDigit = false
                afterSeparator = false
            }
            previous = byte
        }
        return false
    }

    /// The byte ranges of every card number in `bytes` (UTF-8 or any ASCII-compatible encoding),
    /// each from its first to its last digit (escapes included).
    public static func cardNumberRanges(in bytes: [UInt8]) -> [Range<Int>] {
        // Most text screened has no digit at all: nothing to build then.
        guard bytes.contains(where: isDigit) else { return [] }
        return cardNumbers(in: units(of: bytes)).compactMap { run in
            guard let first = run.first, let last = run.last else { return nil }
            return first.raw.lowerBound..<last.raw.upperBound
        }
    }

    /// One character as read: a plain byte, or a JSON escape standing for a digit, space or dash.
    struct Unit {
        let byte: UInt8
        let raw: Range<Int>
    }

    /// The bytes as units; `\u00XX` escapes of digits, space and dash become one unit.
    static func units(of bytes: [UInt8]) -> [Unit] {
        var units: [Unit] = []
        units.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), let decoded = escapedCharacter(bytes, at: index) {
                units.append(Unit(byte: decoded, raw: index..<(index + 6)))
                index += 6
            } else {
                units.append(Unit(byte: bytes[index], raw: index..<(index + 1)))
                index += 1
            }
        }
        return units
    }

    /// The digit, space or dash a `\u00XX` escape at `index` stands for.
    private static func escapedCharacter(_ bytes: [UInt8], at index: Int) -> UInt8? {
        guard index + 6 <= bytes.count, bytes[index + 1] == UInt8(ascii: "u"),
              bytes[index + 2] == UInt8(ascii: "0"), bytes[index + 3] == UInt8(ascii: "0"),
              let high = hexValue(bytes[index + 4]), let low = hexValue(bytes[index + 5]) else { return nil }
        let value = UInt8(high * 16 + low)
        return isDigit(value) || value == UInt8(ascii: " ") || value == UInt8(ascii: "-") ? value : nil
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    /// Layouts in which cards are printed, as group sizes.
    private static let printedLayouts: [[Int]] = [[4, 4, 4, 4], [4, 4, 4, 4, 3], [4, 6, 5], [4, 6, 4]]

    /// Each card number found, as its units from first to last digit.
    private static func cardNumbers(in units: [Unit]) -> [ArraySlice<Unit>] {
        var found: [ArraySlice<Unit>] = []
        var index = 0
        while index < units.count {
            guard isDigit(units[index].byte) else { index += 1; continue }
            let start = index
            // Groups of digits: start and end unit indices.
            var groups: [Range<Int>] = []
            var groupStart = index
            var cursor = index
            while cursor < units.count {
                let byte = units[cursor].byte
                if isDigit(byte) {
                    cursor += 1
                } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-"),
                          cursor + 1 < units.count, isDigit(units[cursor + 1].byte) {
                    groups.append(groupStart..<cursor)
                    cursor += 1
                    groupStart = cursor
                } else {
                    break
                }
            }
            groups.append(groupStart..<cursor)
            let end = cursor
            index = end
            let glued = (start > 0 && isLetter(units[start - 1].byte)) || (end < units.count && isLetter(units[end].byte))
            let phone = start > 0 && units[start - 1].byte == UInt8(ascii: "+")
            guard !glued, !phone else { continue }
            if isCardNumber(units[start..<end]) {
                found.append(units[start..<end])
                continue
            }
            found += printedCards(groups, in: units)
        }
        return found
    }

    /// Consecutive groups laid out as a printed card that pass the Luhn check, leftmost first,
    /// not overlapping.
    private static func printedCards(_ groups: [Range<Int>], in units: [Unit]) -> [ArraySlice<Unit>] {
        guard groups.count >= 3 else { return [] }
        let sizes = groups.map(\.count)
        var found: [ArraySlice<Unit>] = []
        var first = 0
        while first < groups.count {
            let layout = printedLayouts.first { layout in
                first + layout.count <= groups.count && Array(sizes[first..<(first + layout.count)]) == layout
                    && isCardNumber(units[groups[first].lowerBound..<groups[first + layout.count - 1].upperBound])
            }
            guard let layout else { first += 1; continue }
            found.append(units[groups[first].lowerBound..<groups[first + layout.count - 1].upperBound])
            first += layout.count
        }
        return found
    }

    private static func isCardNumber(_ units: ArraySlice<Unit>) -> Bool {
        let digits = units.filter { isDigit($0.byte) }.map { Int($0.byte - UInt8(ascii: "0")) }
        return (13...19).contains(digits.count) && passesLuhn(digits)
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
        guard bytes.contains(where: isDigit) else { return bytes }
        let units = units(of: bytes)
        let numbers = cardNumbers(in: units)
        guard !numbers.isEmpty else { return bytes }
        // Units to hide: every digit of a number but its first 6 and last 4. An escaped digit
        // becomes one `*`: what it stood for must not survive in any form.
        var hidden = Set<Int>()
        for number in numbers {
            let digits = number.indices.filter { isDigit(units[$0].byte) }
            hidden.formUnion(digits.dropFirst(6).dropLast(4))
        }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        for (index, unit) in units.enumerated() {
            if hidden.contains(index) { result.append(UInt8(ascii: "*")) } else { result.append(contentsOf: bytes[unit.raw]) }
        }
        return result
    }
}
