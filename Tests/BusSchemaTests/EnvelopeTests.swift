import Foundation
import Testing
@testable import BusSchema

@Suite struct EnvelopeTests {
    static let headers: [(key: String, value: String)] = [
        ("ce_specversion", "1.0"), ("ce_id", "site-evt-77f1c2"), ("ce_source", "site/checkout"), ("ce_type", "shop.order"),
        ("ce_time", "2024-05-03T10:15:30Z"), ("content-type", "application/json"),
        ("ce_dataschema", "urn:commerce-bus:schema:shop.order.v1"), ("ce_correlationid", "checkout-9912"),
        ("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    ]

    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"), ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
    ])
    func sha1KnownVectors(_ input: String, _ digest: String) {
        #expect(SHA1.digest(Array(input.utf8)).map { String(format: "%02x", $0) }.joined() == digest)
    }

    @Test func sha1MillionA() {
        let digest = SHA1.digest(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
        #expect(digest.map { String(format: "%02x", $0) }.joined() == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func uuidV5KnownVector() throws {
        let dns = try #require(NameBasedUUID.bytes(of: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"))
        #expect(NameBasedUUID.v5(namespace: dns, name: "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
    }

    @Test func binaryHeadersRoundTrip() throws {
        let envelope = try Envelope(headers: Self.headers)
        #expect(envelope.id == "site-evt-77f1c2")
        #expect(envelope.schemaReference == SchemaReference(messageType: "shop.order", version: 1))
        #expect(envelope.headers.map(\.key) == Self.headers.map(\.key))
        #expect(envelope.headers.map(\.value) == Self.headers.map(\.value))
        #expect(try Envelope(headers: envelope.headers) == envelope)
    }

    @Test func structuredModeRoundTrip() throws {
        let envelope = try Envelope(headers: Self.headers)
        let payload = Data(#"{"b": 1, "a": "x/y"}"#.utf8)
        let value = try envelope.structured(payload: payload)
        let (read, body) = try Envelope.readStructured(value)
        #expect(read == envelope)
        #expect(body == Data(#"{"a":"x/y","b":1}"#.utf8))
        let (viaHeaders, viaBody) = try Envelope.read(headers: [("content-type", "application/cloudevents+json; charset=utf-8")], value: value)
        #expect(viaHeaders == envelope)
        #expect(viaBody == body)
        let (binary, binaryBody) = try Envelope.read(headers: Self.headers, value: payload)
        #expect(binary == envelope)
        #expect(binaryBody == payload)
    }

    @Test func missingAndMalformedHeadersAreAllReported() {
        let headers: [(key: String, value: String)] = [("ce_specversion", "0.3"), ("ce_id", ""), ("ce_time", "yesterday"), ("content-type", "text/plain")]
        #expect {
            try Envelope(headers: headers)
        } throws: { error in
            guard let error = error as? SchemaError else { return false }
            let found = error.problems.map { "\($0.path) \($0.reason.code)" }
            return error.code == .invalidEnvelope && found == [
                "ce_specversion not_allowed", "ce_id empty", "ce_source missing", "ce_type missing", "ce_time invalid_format", "content-type not_allowed",
            ]
        }
    }

    @Test func structuredModeProblemsUseJSONPaths() {
        #expect {
            try Envelope.readStructured(Data(#"{"specversion":"1.0","id":"1","source":"s","type":"t","time":"2024-05-03T10:15:30Z","data_base64":"AA=="}"#.utf8))
        } throws: { error in
            (error as? SchemaError)?.problems.map(\.path) == ["$.data_base64", "$.data"]
        }
    }

    @Test func invalidTraceparentIsDropped() throws {
        var headers = Self.headers
        headers.removeLast()
        headers.append(("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
        #expect(try Envelope(headers: headers).traceparent == nil)
    }

    @Test func derivedEnvelopesAreDeterministic() throws {
        let input = try Envelope(headers: Self.headers)
        let first = input.derived(worker: "order-ingest", position: 0, for: ERPSalesOrder.self)
        let again = input.derived(worker: "order-ingest", position: 0, for: ERPSalesOrder.self)
        #expect(first == again)
        #expect(first.headers.map(\.value) == again.headers.map(\.value))
        #expect(first.id != input.derived(worker: "order-ingest", position: 1, for: ERPSalesOrder.self).id)
        #expect(first.id != input.derived(worker: "status-notifier", position: 0, for: ERPSalesOrder.self).id)
        #expect(Array(first.id)[14] == "5")
        #expect(first.causationID == input.id)
        #expect(first.correlationID == "checkout-9912")
        #expect(first.traceparent == input.traceparent)
        #expect(first.source == "bus/order-ingest")
        #expect(first.time == input.time)
        #expect(first.type == "erp.sales-order")
        #expect(first.dataSchema == "urn:commerce-bus:schema:erp.sales-order.v1")
        var uncorrelated = input
        uncorrelated.correlationID = nil
        #expect(uncorrelated.derived(worker: "w", position: 0, type: "t", dataSchema: nil).correlationID == input.id)
    }

    @Test func registryDecodesFromTheEnvelope() throws {
        let envelope = try Envelope(headers: Self.headers)
        let bytes = TestFiles.read(TestFiles.examples.appendingPathComponent("shop.order.v1.json"))
        let message = try MessageRegistry.standard.decode(envelope, payload: bytes)
        #expect(message is SiteOrder)
        var wrong = envelope
        wrong.dataSchema = "urn:commerce-bus:schema:shop.payment.v1"
        #expect { try MessageRegistry.standard.decode(wrong, payload: bytes) } throws: { ($0 as? SchemaError)?.code == .invalidEnvelope }
    }

    @Test(arguments: ["urn:commerce-bus:schema:shop.order.v1", "shop.order.v1.json", "shop.order.v1"])
    func schemaReferences(_ text: String) {
        #expect(SchemaReference(uri: text) == SchemaReference(messageType: "shop.order", version: 1))
    }
}
