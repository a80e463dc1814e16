import Foundation
import Testing
@testable import BusSchema

/// The codec's fast paths for primitives, identifiers and value types (exact-type checks in
/// place of dynamic casts, coding paths built only on failure) give the same values and the
/// same error paths as the generic `Codable` route.
@Suite struct CodecFastPathTests {
    struct Line: Codable, Equatable {
        var sku: SKU
        var count: Int
        var big: Int64
        var flag: Bool
        var note: String?
        var small: UInt8
        var measuredAt: Instant
    }

    struct Order: Codable, Equatable { var lines: [Line] }

    private func codingPath(of body: () throws -> Void) -> [String] {
        do {
            try body()
            return ["no error"]
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            return context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        } catch {
            return ["other error: \(error)"]
        }
    }

    private let good = #"{"lines":[{"sku":"A-1","count":3,"big":9000000000,"flag":true,"small":7,"measuredAt":"2026-03-01T10:00:00Z"},{"sku":"B-2","count":-1,"big":0,"flag":false,"note":"n","small":255,"measuredAt":"2026-03-01T10:00:01Z"}]}"#

    @Test("values decode and encode as Foundation's coders give them")
    func valuesAgreeWithFoundation() throws {
        let fromParse = try JSONValueDecoder.decode(Order.self, from: JSONParser().parse(Data(good.utf8)))
        #expect(fromParse == (try JSONDecoder().decode(Order.self, from: Data(good.utf8))))
        #expect(fromParse.lines[1].small == 255 && fromParse.lines[0].big == 9_000_000_000 && fromParse.lines[0].sku == SKU("A-1"))
        // The encoder writes every primitive as the parse read it (keys sorted, exact integers).
        let encoded = try #require(JSONValueEncoder.compact(fromParse))
        #expect(encoded == JSONWriter.compact(try JSONParser().parse(Data(good.utf8))))
    }

    @Test("a wrong primitive is reported at its own path", arguments: [
        (#""count":3"#, #""count":"3""#, ["lines", "0", "count"]),
        (#""flag":true"#, #""flag":1"#, ["lines", "0", "flag"]),
        (#""big":9000000000"#, #""big":1.5"#, ["lines", "0", "big"]),
        (#""sku":"B-2""#, #""sku":2"#, ["lines", "1", "sku"]),
        (#""note":"n""#, #""note":false"#, ["lines", "1", "note"]),
        (#""measuredAt":"2026-03-01T10:00:01Z""#, #""measuredAt":[]"#, ["lines", "1", "measuredAt"]),
    ])
    func wrongPrimitiveKeepsItsPath(_ field: String, _ replacement: String, _ expected: [String]) throws {
        let bad = good.replacingOccurrences(of: field, with: replacement)
        #expect(bad != good)
        let document = try JSONParser().parse(Data(bad.utf8))
        #expect(codingPath { _ = try JSONValueDecoder.decode(Order.self, from: document) } == expected)
    }

    @Test func exactlyCastsOnlyTheSameType() {
        #expect(exactly("text", as: String.self) == "text")
        #expect(exactly(42, as: Int.self) == 42)
        #expect(exactly(42, as: Int64.self) == nil)
        #expect(exactly(SKU("A"), as: String.self) == nil)
        #expect(exactly(Optional("text"), as: String.self) == nil)
    }
}
