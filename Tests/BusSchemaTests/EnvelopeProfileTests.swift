import Foundation
import Testing
@testable import BusSchema

/// The README's CloudEvents profile, rule by rule: what is required, what is tolerated.
@Suite struct EnvelopeProfileTests {
    /// The headers the CloudEvents Python SDK writes with its defaults: no dataschema, no content-type.
    static let sdkHeaders: [(key: String, value: String)] = [
        ("ce_type", "shop.order"), ("ce_source", "site/checkout"), ("ce_partitionkey", "WEB-100234"),
        ("ce_specversion", "1.0"), ("ce_id", "ba5a89bd-03dd-41bc-99b0-ea44a177056f"), ("ce_time", "2026-12-01T08:17:41.476515Z"),
    ]
    static let order = TestFiles.read(TestFiles.examples.appendingPathComponent("shop.order.v1.json"))

    static func headers(replacing name: String, with value: String?) -> [(key: String, value: String)] {
        var headers = sdkHeaders.filter { $0.key != name }
        if let value { headers.append((name, value)) }
        return headers
    }

    // MARK: time

    @Test(arguments: [
        ("2026-12-01T08:20:18+01:00", "2026-12-01T07:20:18Z"),
        ("2026-12-01T08:20:18.476515+00:00", "2026-12-01T08:20:18.476515Z"),
        ("2026-12-01T00:20:18-05:30", "2026-12-01T05:50:18Z"),
        ("2026-12-01t08:20:18z", "2026-12-01T08:20:18Z"),
        ("2024-05-03T10:15:30Z", "2024-05-03T10:15:30Z"),
        ("2024-05-03T10:15:30.1Z", "2024-05-03T10:15:30.1Z"),
        ("2024-05-03T10:15:30.123456789123+00:00", "2024-05-03T10:15:30.123456789Z"),
        ("2025-01-01T00:30:00+01:00", "2024-12-31T23:30:00Z"),
        ("2024-02-29T23:59:59-00:01", "2024-03-01T00:00:59Z"),
    ])
    func anyRFC3339TimeIsReadAndKeptInUTC(_ written: String, _ utc: String) throws {
        let envelope = try Envelope(headers: Self.headers(replacing: "ce_time", with: written))
        #expect(envelope.time.description == utc)
        #expect(envelope.headers.first { $0.key == "ce_time" }?.value == utc)
    }

    @Test(arguments: [
        "2026-12-01T08:20:18", "2026-12-01 08:20:18Z", "2026-12-01T08:20:18+0100", "2026-12-01T08:20:18+24:00",
        "2026-12-01T24:00:00Z", "2026-12-31T23:59:60Z", "2026-12-01T08:20:18.Z", "2026-02-30T08:20:18Z",
        "1764577218", "2026-12-01", "2026-12-01T08:20:18+01:00 ",
    ])
    func whatIsNotRFC3339IsRefusedNamingTheHeader(_ written: String) {
        #expect {
            try Envelope(headers: Self.headers(replacing: "ce_time", with: written))
        } throws: { error in
            guard let error = error as? SchemaError, let problem = error.problems.first else { return false }
            return error.code == .invalidEnvelope && problem.path == "ce_time" && problem.reason.code == "invalid_format"
                && "\(problem)".contains("RFC 3339")
        }
    }

    @Test("an absent time is the record's timestamp, in either mode; a time given wins, even a bad one")
    func absentTimeIsTheRecordTime() throws {
        let recordTime = try #require(Instant("2026-12-01T09:00:00.123Z"))
        let untimed = Self.headers(replacing: "ce_time", with: nil)
        #expect(try Envelope(headers: untimed, recordTime: recordTime).time == recordTime)
        #expect(try Envelope(headers: Self.sdkHeaders, recordTime: recordTime).time.description == "2026-12-01T08:17:41.476515Z")
        #expect(throws: SchemaError.self) { try Envelope(headers: Self.headers(replacing: "ce_time", with: "yesterday"), recordTime: recordTime) }
        #expect(throws: SchemaError.self) { try Envelope(headers: Self.headers(replacing: "ce_time", with: ""), recordTime: recordTime) }
        for time in [#""time": null, "#, ""] {
            let structured = Data(#"{"specversion": "1.0", "id": "e-1", "source": "site", "type": "shop.order", \#(time)"data": {}}"#.utf8)
            #expect(try Envelope.readStructured(structured, recordTime: recordTime).envelope.time == recordTime)
            #expect(throws: SchemaError.self) { try Envelope.readStructured(structured) }
        }
    }

    @Test("without time and without a record time, ce_time is reported missing")
    func noTimeAtAllIsMissing() {
        #expect {
            try Envelope(headers: Self.headers(replacing: "ce_time", with: nil))
        } throws: { error in
            (error as? SchemaError)?.problems.contains { $0.path == "ce_time" && $0.reason.code == "missing" } == true
        }
    }

    @Test func payloadInstantsStayUTC() {
        #expect(Instant("2026-12-01T08:20:18+01:00") == nil, "message fields keep the documented UTC form")
    }

    // MARK: dataschema

    @Test(arguments: [
        (nil, "shop.order v1"),
        ("urn:commerce-bus:schema:shop.order.v1", "shop.order v1"),
        ("https://schemas.example.com/topics/schemas/shop.order.v1.json", "shop.order v1"),
        ("urn:commerce-bus:schema:shop.order.v7", "shop.order v7"),
    ] as [(String?, String)])
    func schemaVersionRule(_ dataSchema: String?, _ resolved: String) throws {
        let envelope = try Envelope(headers: Self.headers(replacing: "ce_dataschema", with: dataSchema))
        #expect(try envelope.resolvedSchema().description == resolved)
    }

    @Test(arguments: [
        ("https://example.com/schema", "invalid_format"), ("urn:commerce-bus:schema:shop.payment.v1", "inconsistent"),
    ])
    func dataSchemaNamingNoBusSchemaIsRefused(_ dataSchema: String, _ code: String) throws {
        let envelope = try Envelope(headers: Self.headers(replacing: "ce_dataschema", with: dataSchema))
        #expect {
            try envelope.resolvedSchema()
        } throws: { error in
            (error as? SchemaError)?.problems.map { "\($0.path) \($0.reason.code)" } == ["ce_dataschema \(code)"]
        }
    }

    @Test func sdkDefaultsDecodeAsVersionOne() throws {
        let (envelope, message) = try RecordReader().read(headers: Self.sdkHeaders, key: "WEB-100234", value: Self.order)
        #expect(message is SiteOrder)
        #expect(envelope.dataSchema == nil)
        #expect(envelope.contentType == "application/json")
    }

    // MARK: partitionkey

    @Test(arguments: [("WEB-100234", true), ("WEB-999", false), (nil, false)] as [(String?, Bool)])
    func partitionKeyMustAgreeWithTheRecordKey(_ key: String?, _ accepted: Bool) {
        let result = Result { () throws(SchemaError) in try RecordReader().read(headers: Self.sdkHeaders, key: key, value: Self.order) }
        switch result {
        case .success: #expect(accepted)
        case .failure(let error):
            #expect(!accepted)
            #expect(error.code == .partitionKeyMismatch)
            #expect(error.field == "ce_partitionkey")
            #expect(error.reason.hasPrefix("partition_key_mismatch: ce_partitionkey"))
        }
    }

    @Test func withoutPartitionKeyAnyKeyIsTheRecordsOwnBusiness() throws {
        let headers = Self.headers(replacing: "ce_partitionkey", with: nil)
        _ = try RecordReader().read(headers: headers, key: "anything", value: Self.order)
    }

    // MARK: trace context

    static let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    static let otherParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    @Test(arguments: [
        ([("traceparent", parent), ("tracestate", "congo=t61rcWkgMzE")], parent, "congo=t61rcWkgMzE"),
        ([("ce_traceparent", parent), ("ce_tracestate", "rojo=00f067aa0ba902b7")], parent, "rojo=00f067aa0ba902b7"),
        ([("traceparent", parent), ("ce_traceparent", otherParent)], parent, nil),
        ([("traceparent", "garbage"), ("tracestate", "a=b"), ("ce_traceparent", otherParent)], otherParent, nil),
        ([("traceparent", "garbage"), ("tracestate", "a=b")], nil, nil),
        ([("tracestate", "a=b")], nil, nil),
    ] as [([(String, String)], String?, String?)])
    func traceContextFromEitherHeader(_ extra: [(String, String)], _ traceparent: String?, _ tracestate: String?) throws {
        let envelope = try Envelope(headers: Self.sdkHeaders + extra.map { (key: $0.0, value: $0.1) })
        #expect(envelope.traceparent == traceparent)
        #expect(envelope.tracestate == tracestate)
    }

    @Test func outputsCarryTheTraceContextButNotThePartitionKey() throws {
        let input = try Envelope(headers: Self.sdkHeaders + [("ce_traceparent", Self.parent), ("ce_tracestate", "congo=t61rcWkgMzE")])
        let output = input.derived(worker: "order-ingest", position: 0, for: ERPSalesOrder.self)
        #expect(output.traceparent == Self.parent)
        #expect(output.tracestate == "congo=t61rcWkgMzE")
        #expect(output.partitionKey == nil)
        let headers = Dictionary(output.headers.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        #expect(headers["traceparent"] == Self.parent)
        #expect(headers["tracestate"] == "congo=t61rcWkgMzE")
        #expect(headers["ce_partitionkey"] == nil)
    }

    // MARK: structured mode

    /// A structured event: the base attributes, with `members` (raw JSON "name":value pairs,
    /// each followed by a comma) replacing or adding to them.
    static func structured(_ members: String) -> Data {
        var attributes: [(String, String)] = [
            ("specversion", #""1.0""#), ("id", #""e-1""#), ("source", #""site/checkout""#), ("type", #""shop.order""#),
            ("time", #""2026-12-01T08:20:18+01:00""#),
        ]
        for pair in members.split(separator: ",", omittingEmptySubsequences: true) where pair.contains(":") {
            let parts = pair.split(separator: ":", maxSplits: 1)
            let name = String(parts[0]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            attributes.removeAll { $0.0 == name }
            attributes.append((name, String(parts[1])))
        }
        let body = attributes.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
        return Data("{\(body),\"data\":\(String(decoding: order, as: UTF8.self))}".utf8)
    }

    @Test(arguments: [
        #""dataschema":null,"subject":null,"datacontenttype":null,"traceparent":null,"#,
        #""priority":3,"sampled":true,"ratio":0.5,"#,
        #""partitionkey":"WEB-100234","correlationid":"c-1","#,
    ])
    func structuredNullsAreUnsetAndExtensionsMayBeNumbersOrBooleans(_ members: String) throws {
        let (envelope, message) = try RecordReader().read(
            headers: [("content-type", "application/cloudevents+json")], key: "WEB-100234", value: Self.structured(members))
        #expect(message is SiteOrder)
        #expect(envelope.time.description == "2026-12-01T07:20:18Z")
        #expect(envelope.dataSchema == nil)
        #expect(envelope.contentType == "application/json")
    }

    @Test(arguments: [
        (#""id":7,"#, "$.id", "wrong_type"), (#""type":true,"#, "$.type", "wrong_type"),
        (#""priority":[1],"#, "$.priority", "wrong_type"), (#""dataschema":"","#, "$.dataschema", "empty"),
    ])
    func structuredContextAttributesMustBeStrings(_ members: String, _ path: String, _ code: String) {
        #expect {
            try Envelope.readStructured(Self.structured(members))
        } throws: { error in
            (error as? SchemaError)?.problems.contains { $0.path == path && $0.reason.code == code } == true
        }
    }

    @Test func structuredValueUnderAPlainJSONContentTypeIsRead() throws {
        // The SDK's v1 API labels its structured records application/json.
        let (envelope, payload) = try Envelope.read(headers: [("content-type", "application/json")], value: Self.structured(""))
        #expect(envelope.id == "e-1")
        #expect(try JSONParser().parse(payload) == JSONParser().parse(Self.order))
    }

    // MARK: schema-registry framing

    @Test(arguments: [
        (Data([0, 0, 0, 0, 42]) + order, true), (Data([0, 0, 1, 0, 1]) + Data("{\"a\":1}".utf8), true),
        (Data([0, 0]), false), (order, false),
    ])
    func schemaRegistryFramingHasItsOwnReason(_ value: Data, _ framed: Bool) {
        let result = Result { () throws(SchemaError) in try RecordReader().read(headers: Self.sdkHeaders, key: "WEB-100234", value: value) }
        switch result {
        case .success: #expect(!framed)
        case .failure(let error):
            #expect((error.code == .schemaRegistryFraming) == framed, "\(error.reason)")
            if framed { #expect(error.message.contains("schema-registry")) }
        }
    }
}
