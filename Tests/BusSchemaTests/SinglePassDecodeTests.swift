import Foundation
import Testing
@testable import BusSchema

/// The one-parse decode path: values built from the project's own parse equal what
/// Foundation's `JSONDecoder` builds from the bytes, for every message type; a problem the
/// decoder meets keeps its JSON path.
@Suite struct SinglePassDecodeTests {
    @Test("every example decodes from the parse to the value JSONDecoder gives", arguments: TestFiles.references)
    func equalsJSONDecoder(_ reference: SchemaReference) throws {
        let bytes = TestFiles.read(TestFiles.examples.appendingPathComponent(reference.fileName))
        let type = try #require(MessageRegistry.standard.all.first { $0.schemaReference == reference })
        try expectParity(type, bytes)
    }

    private func expectParity<M: BusMessage>(_ type: M.Type, _ bytes: Data) throws {
        let reference = try JSONDecoder().decode(M.self, from: bytes)
        let fromParse = try JSONValueDecoder.decode(M.self, from: JSONParser().parse(bytes))
        #expect(fromParse == reference)
    }

    @Test("a value the schema lets through but the type cannot hold is reported at its path")
    func decoderErrorsKeepTheirPath() throws {
        let document = try JSONParser().parse(Data(#"{"sku":"A","warehouse":"W","on_hand":"1","reserved":"0","measured_at":"2024-05-03T10:15:30Z","incoming":[{"quantity":"1","expected_on":"2024-05-04"},{"quantity":7,"expected_on":"2024-05-04"}]}"#.utf8))
        do {
            _ = try JSONValueDecoder.decode(ERPStockLevel.self, from: document)
            Issue.record("a number where a decimal string belongs was accepted")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["incoming", "1", "quantity"])
        }
    }

    @Test("null and absent optionals are nil, a null required field is an error")
    func nullsAndAbsence() throws {
        struct Probe: Codable, Equatable { var a: String?; var b: Int?; var c: [Bool] }
        let parsed = try JSONValueDecoder.decode(Probe.self, from: JSONParser().parse(Data(#"{"a":null,"c":[true,false]}"#.utf8)))
        #expect(parsed == Probe(a: nil, b: nil, c: [true, false]))
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Probe.self, from: JSONParser().parse(Data(#"{"c":null}"#.utf8))) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Probe.self, from: JSONParser().parse(Data(#"{"b":99999999999999999999,"c":[]}"#.utf8))) }
    }

    @Test("a card number in any field of a valid-looking record is still refused by the codec")
    func cardScreeningStillRunsWhenDigitsCouldHoldACard() throws {
        let bytes = Data(#"{"sku":"A","warehouse":"W","on_hand":"1","reserved":"0","measured_at":"2024-05-03T10:15:30Z","incoming":[],"note":"4111 1111 1111 1111"}"#.utf8)
        #expect(throws: SchemaError.self) { try MessageCodec().decode(ERPStockLevel.self, from: bytes) }
        let escaped = Data(#"{"sku":"A","warehouse":"W","on_hand":"1","reserved":"0","measured_at":"2024-05-03T10:15:30Z","incoming":[],"note":"\u0034111111111111111"}"#.utf8)
        #expect(throws: SchemaError.self) { try MessageCodec().decode(ERPStockLevel.self, from: escaped) }
    }
}

/// The byte pre-screen may only skip work: wherever the full search finds a card number,
/// the pre-screen says "maybe".
@Suite struct CardPreScreenTests {
    @Test("never says no where the full search finds a card", arguments: 0..<2000)
    func neverMissesACard(_ seed: Int) {
        var generator = SplitMix64(state: UInt64(seed))
        let alphabet = Array("0123456789012345678901234567890123456789 -- ab+\\u00".utf8)
        let length = Int.random(in: 10...40, using: &generator)
        var bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0x30 }
        // Plant a real card number in a third of the cases, grouped or not.
        if seed % 3 == 0 {
            let card = Array((seed % 2 == 0 ? "4111 1111 1111 1111" : "378282246310005").utf8)
            let at = Int.random(in: 0...bytes.count, using: &generator)
            bytes.insert(contentsOf: card, at: at)
        }
        let found = !CardNumberDetector.cardNumberRanges(in: bytes).isEmpty
        if found { #expect(CardNumberDetector.mayContainCardNumber(bytes)) }
    }

    @Test("ordinary records need no search", arguments: [
        #"{"sku":"SKU-000123","warehouse":"W1","on_hand":"12.000","measured_at":"2024-05-03T10:15:30Z"}"#,
        #"{"id":"550e8400-e29b-41d4-a716-446655440000","amount":1999}"#, #"{"phone":"+33612345678901"}"#,
    ])
    func ordinaryRecordsAreCleared(_ text: String) {
        #expect(!CardNumberDetector.mayContainCardNumber(Array(text.utf8)))
    }

    @Test("digits split by single separators, and escapes, call for the search", arguments: [
        "4111 1111 1111 1", "4111-1111-1111-1", "1234567890123", #"\u0034"#,
    ])
    func suspectRecordsAreSearched(_ text: String) {
        #expect(CardNumberDetector.mayContainCardNumber(Array(text.utf8)))
    }
}

/// Schema patterns run without NSRegularExpression and answer as it does.
@Suite struct CompiledPatternTests {
    /// Every pattern of every registered message and shared definition.
    static let patterns: [String] = {
        var found: Set<String> = []
        func visit(_ node: SchemaNode) {
            switch node {
            case let .object(properties): properties.forEach { visit($0.node) }
            case let .map(keys, values, _): if let pattern = keys.pattern { found.insert(pattern) }; visit(values)
            case let .array(element, _, _): visit(element)
            case let .string(rule): if let pattern = rule.pattern { found.insert(pattern) }
            case let .nullable(inner): visit(inner)
            case let .ref(definition): visit(definition.node)
            default: break
            }
        }
        MessageRegistry.standard.all.forEach { visit($0.schema) }
        return found.sorted()
    }()

    @Test func everySchemaPatternRunsCompiled() {
        #expect(Self.patterns.count > 10)
        for pattern in Self.patterns { #expect(PatternMatcher.isSimple(pattern), "\(pattern) falls back to NSRegularExpression") }
    }

    @Test("answers as NSRegularExpression does", arguments: CompiledPatternTests.patterns)
    func agreesWithICU(_ pattern: String) throws {
        let compiled = try #require(CompiledPattern(pattern))
        var generator = SplitMix64(state: UInt64(pattern.utf8.count))
        let pieces = ["A", "z", "0", "9", "-", "_", ".", ":", "/", "@", "+", " ", "\t", "\n", "\u{0B}", "\u{85}", "\u{A0}", "\u{2028}",
                      "\u{3000}", "é", "É", "😀", "https://", "a@b.c", "", "[", "\\"]
        var samples = ["", "A", "AB", "ABC", "a@b.co", "x@@y.z", "https://x", "https:// x", "+33612345678", "+0123", "fr-BE",
                       String(repeating: "A", count: 19), String(repeating: "A", count: 20), String(repeating: "A", count: 21),
                       String(repeating: "a", count: 64), String(repeating: "a", count: 65), String(repeating: "9", count: 129)]
        for _ in 0..<400 {
            samples.append((0..<Int.random(in: 0...24, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined())
        }
        for sample in samples {
            #expect(compiled.matches(sample) == PatternMatcher.regexMatches(sample, pattern: pattern), "\(pattern) on \(sample.debugDescription)")
        }
    }

    @Test("patterns beyond the simple form are left to NSRegularExpression", arguments: ["^(a|b)$", "^a.b$", "a+$", "^a+?$", "^\\d+$", "^[a-z]{2,1}$"])
    func refusesWhatItCannotMatch(_ pattern: String) {
        #expect(CompiledPattern(pattern) == nil)
    }
}

/// The incremental SHA-1 against coreutils' `sha1sum`, across block boundaries, and the
/// bus's precomputed namespace state against hashing the namespace each time.
@Suite struct SHA1Tests {
    @Test("digests equal sha1sum's for every length from 0 to 130 bytes")
    func matchesSha1sum() throws {
        for length in 0...130 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sha1sum")
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data(bytes))
            try input.fileHandleForWriting.close()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let hex = SHA1.digest(bytes).map { String(format: "%02x", $0) }.joined()
            #expect(printed.hasPrefix(hex + " "), "length \(length)")
        }
    }

    @Test func busNamespaceStateGivesTheSameIDs() {
        for name in ["", "x", #"["id-1","stock-broadcaster",0]"#, String(repeating: "n", count: 200)] {
            #expect(NameBasedUUID.busV5(name: Array(name.utf8)) == NameBasedUUID.v5(namespace: NameBasedUUID.busNamespace, name: name))
        }
    }
}
