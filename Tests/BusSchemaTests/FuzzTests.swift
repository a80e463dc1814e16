import Foundation
import Testing
@testable import BusSchema

/// A small deterministic generator (SplitMix64) so fuzz failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct FuzzTests {
    static let deadline: Duration = .seconds(2)

    /// Decodes `bytes` as `reference`; the only acceptable outcomes are a value or a SchemaError.
    static func decode(_ bytes: Data, as reference: SchemaReference) -> Bool {
        let result = Result { () throws(SchemaError) -> any BusMessage in
            try MessageRegistry.standard.decode(messageType: reference.messageType, version: reference.version, from: bytes)
        }
        if case .success = result { return true }
        return false
    }

    @Test func randomBytesNeverTrap() {
        var random = SplitMix64(state: 0xC0FFEE)
        let clock = ContinuousClock()
        let start = clock.now
        var runs = 0
        while runs < 3000, clock.now - start < Self.deadline {
            let length = Int.random(in: 0...256, using: &random)
            let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
            let reference = TestFiles.references[Int.random(in: 0..<TestFiles.references.count, using: &random)]
            #expect(Self.decode(bytes, as: reference) == false)
            runs += 1
        }
        #expect(runs > 100)
    }

    @Test func mutatedExamplesNeverTrap() {
        var random = SplitMix64(state: 42)
        let examples = TestFiles.references.map { ($0, Array(TestFiles.read(TestFiles.examples.appendingPathComponent($0.fileName)))) }
        let alphabet = Array("{}[]\":,-0123456789.eE \\ntrufalsn".utf8) + [0x00, 0xFF, 0xC3, 0xA9]
        let clock = ContinuousClock()
        let start = clock.now
        var runs = 0
        while runs < 4000, clock.now - start < Self.deadline {
            let (reference, original) = examples[Int.random(in: 0..<examples.count, using: &random)]
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[position] = alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                case 1: bytes.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &random)], at: position)
                case 2: bytes.remove(at: position)
                default: bytes = Array(bytes[..<position])
                }
            }
            _ = Self.decode(Data(bytes), as: reference)
            runs += 1
        }
        #expect(runs > 100)
    }

    @Test func deepNestingIsRefusedNotRecursed() {
        for text in [String(repeating: "[", count: 100_000), String(repeating: "{\"a\":", count: 50_000)] {
            #expect(Self.decode(Data(text.utf8), as: SiteOrder.schemaReference) == false)
        }
        #expect(throws: SchemaError.self) { try JSONParser().parse(Data((String(repeating: "[", count: 65) + String(repeating: "]", count: 65)).utf8)) }
        #expect(throws: Never.self) { try JSONParser().parse(Data((String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).utf8)) }
    }

    @Test(arguments: ["", " ", "nul", "tru", "\"\\ud800\"", "\"\\u12\"", "01", "1.", "-", "1e", "{\"a\" 1}", "[1,]", "{,}", "\"\u{01}\"", "1 2", "\u{FEFF}{}"])
    func malformedJSONIsAnError(_ text: String) {
        #expect(throws: SchemaError.self) { try JSONParser().parse(Data(text.utf8)) }
    }

    @Test(arguments: ["{}", "[]", "0", "-0.5e+3", "\"\\ud83d\\ude00\"", "{\"a\":[null,true,false,{\"b\":\"\\/\"}]}"])
    func wellFormedJSONParses(_ text: String) {
        #expect(throws: Never.self) { try JSONParser().parse(Data(text.utf8)) }
    }
}
