import Foundation
import Testing
@testable import BusSchema

/// Every example validates, decodes with Codable, and round-trips byte-identically; this is
/// also the proof that each Codable struct and its SchemaNode agree.
@Suite struct ExampleTests {
    @Test(arguments: TestFiles.references)
    func exampleValidatesAndRoundTrips(_ reference: SchemaReference) throws {
        let bytes = TestFiles.read(TestFiles.examples.appendingPathComponent(reference.fileName))
        #expect(!bytes.isEmpty, "missing example \(reference.fileName)")
        let strict = MessageCodec(strict: true)
        let registry = MessageRegistry.standard
        let message = try registry.decode(messageType: reference.messageType, version: reference.version, from: bytes, codec: strict)
        // Pretty re-encoding gives back the file byte for byte.
        #expect(strict.encodePretty(anyMessage: message) == bytes, "\(reference.fileName) does not round-trip")
        // The wire form is the compact canonical form of the file.
        let wire = strict.encode(anyMessage: message)
        #expect(wire == JSONWriter.compact(try JSONParser().parse(bytes)))
        // A decoded then encoded value validates again, strictly: Codable writes no field the schema lacks.
        let again = try registry.decode(messageType: reference.messageType, version: reference.version, from: wire, codec: strict)
        #expect(strict.encode(anyMessage: again) == wire)
    }

    @Test func everyExampleFileIsARegisteredType() {
        let expected = Set(TestFiles.references.map(\.fileName))
        #expect(Set(TestFiles.names(in: TestFiles.examples)) == expected)
    }

    @Test func registryHasFiftyFourTypesAndNoDuplicates() {
        // 32 + six of money back (gift card, spend, decision, refund proposal, account invoice,
        // payment offset) + the account exposure + order acceptance v1 and v2 read beside v3 + the availability query, its
        // answer and the stock claim + the price query, its ERP relay, the ERP answer and the answer + the order query, command and their answers (bus orders), the query and its answer v1 read beside v2.
        #expect(MessageRegistry.standard.all.count == 54)
        #expect(MessageRegistry.standard.duplicates.isEmpty)
    }

    @Test func typedDecodeGivesEqualValues() throws {
        let codec = MessageCodec(strict: true)
        let bytes = TestFiles.read(TestFiles.examples.appendingPathComponent(SiteOrder.schemaReference.fileName))
        let order = try codec.decode(SiteOrder.self, from: bytes)
        #expect(try codec.decode(SiteOrder.self, from: codec.encode(order)) == order)
        #expect(order.totals.totalInclTax == Money(amount: 5050, currency: .eur))
        #expect(order.lines[0].quantity == Quantity(2))
    }
}
