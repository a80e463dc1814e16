import Foundation
import Testing
@testable import BusSchema

/// The hold reason `credit_limit_exceeded` (B2B on account) is new in `shop.order-acceptance`
/// v3 and in v2 of the operators' `bus.order-query` and `bus.order-query-answer`: each older
/// version still reads what it knew and refuses the new reason with the field named, and
/// editing the older version in place would have been breaking under the compatibility rule.
@Suite("Hold reason versions: credit_limit_exceeded is new in acceptance v3 and order query v2")
struct HoldReasonVersionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var messageType: String
        /// The example of the newest version, which names credit_limit_exceeded.
        var newest: Int
        /// The JSON path of the reason code in that example.
        var field: String
        var testDescription: String { "\(messageType) v\(newest)" }
    }

    static let cases = [
        Case(messageType: "shop.order-acceptance", newest: 3, field: "$.reasons[0].code"),
        Case(messageType: "bus.order-query", newest: 2, field: "$.hold_reason"),
        Case(messageType: "bus.order-query-answer", newest: 2, field: "$.orders[0].reasons[0].code"),
    ]

    static func example(_ messageType: String, _ version: Int) -> Data {
        TestFiles.read(TestFiles.examples.appendingPathComponent("\(messageType).v\(version).json"))
    }

    @Test("the newest version reads credit_limit_exceeded; the one before refuses it, naming the field", arguments: cases)
    func olderVersionRefusesTheNewReason(_ c: Case) throws {
        let bytes = Self.example(c.messageType, c.newest)
        #expect(String(decoding: bytes, as: UTF8.self).contains("credit_limit_exceeded"))
        _ = try MessageRegistry.standard.decode(messageType: c.messageType, version: c.newest, from: bytes)
        let refusal = #expect(throws: SchemaError.self) {
            try MessageRegistry.standard.decode(messageType: c.messageType, version: c.newest - 1, from: bytes)
        }
        #expect(refusal?.problems.map(\.path).contains(c.field) == true, "\(String(describing: refusal?.problems))")
        // What the older version knew, the older version still reads.
        _ = try MessageRegistry.standard.decode(messageType: c.messageType, version: c.newest - 1, from: Self.example(c.messageType, c.newest - 1))
    }

    @Test("the newest shape in place of the committed older one would break its readers", arguments: cases)
    func anEditInPlaceWouldBreak(_ c: Case) throws {
        let older = try MessageRegistry.standard.type(named: c.messageType, version: c.newest - 1)
        let newest = try MessageRegistry.standard.type(named: c.messageType, version: c.newest)
        let problems = SchemaCompatibility.breakingChanges(from: JSONSchemaExporter.document(for: older), to: JSONSchemaExporter.document(for: newest))
        // The document's own $id and version differ anyway: the break asked for is inside the message's properties.
        #expect(problems.contains { $0.kind == .constraintChanged && $0.pointer.contains("/properties/") && $0.pointer.hasSuffix("/enum") }, "\(problems)")
    }
}
