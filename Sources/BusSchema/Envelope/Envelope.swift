import Foundation

/// The CloudEvents 1.0 attributes of a bus record, carried in Kafka headers (binary mode).
///
/// Guarantees: an envelope read from headers or a structured value has every attribute the
/// bus needs (`specversion` "1.0", `id`, `source`, `type`, `time` as any RFC 3339 instant,
/// kept in UTC) and a JSON content type; every optional attribute may be absent (see the
/// README's "CloudEvents profile"). `headers` writes them back in a stable order, so equal
/// envelopes give equal headers.
/// Outputs get their envelope from `derived(worker:position:type:dataSchema:)`, which is
/// deterministic: a redelivered input yields byte-identical outputs.
public struct Envelope: Sendable, Hashable {
    /// The event id, unique per source (`ce_id`).
    public var id: String
    /// Who produced the event, a URI reference such as "erp/sage-x3" or "bus/order-ingest" (`ce_source`).
    public var source: String
    /// The message type, e.g. "shop.order" (`ce_type`).
    public var type: String
    /// When the event happened (`ce_time`), in UTC whatever offset it was written with.
    public var time: Instant
    /// The schema reference URI, "urn:commerce-bus:schema:shop.order.v1" (`ce_dataschema`).
    public var dataSchema: String?
    /// The payload's media type (`content-type`); always JSON on the bus.
    public var contentType: String
    /// The id shared by every event of one business conversation (`ce_correlationid`).
    public var correlationID: String?
    /// The id of the event that caused this one (`ce_causationid`).
    public var causationID: String?
    /// The W3C trace context (`traceparent`), kept across the bus.
    public var traceparent: String?
    /// The vendor part of the W3C trace context (`tracestate`), kept with `traceparent`.
    public var tracestate: String?
    /// The CloudEvents `partitionkey` extension (`ce_partitionkey`): when an input carries
    /// it, it must equal the record key. Not carried to outputs, which have their own keys.
    public var partitionKey: String?
    /// A request's reply topic (`ce_replyto`): where the answer goes. Only requests carry it
    /// (see `FlowRequest`); it is not carried to outputs.
    public var replyTo: String?
    /// A request's deadline (`ce_deadline`, an RFC 3339 instant): after it, an answer is
    /// worth nothing to the asker. Only requests carry it; it is not carried to outputs.
    public var deadline: Instant?

    /// The CloudEvents version, always "1.0".
    public var specversion: String { Self.specVersion }
    /// The CloudEvents version this bus speaks.
    public static let specVersion = "1.0"
    /// The content type of every payload.
    public static let jsonContentType = "application/json"
    /// The content type of a structured-mode record.
    public static let structuredContentType = "application/cloudevents+json"

    /// An envelope with every attribute given.
    public init(
        id: String, source: String, type: String, time: Instant, dataSchema: String? = nil,
        contentType: String = Envelope.jsonContentType, correlationID: String? = nil, causationID: String? = nil,
        traceparent: String? = nil, tracestate: String? = nil, partitionKey: String? = nil,
        replyTo: String? = nil, deadline: Instant? = nil
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.dataSchema = dataSchema
        self.contentType = contentType
        self.correlationID = correlationID
        self.causationID = causationID
        self.traceparent = traceparent
        self.tracestate = traceparent == nil ? nil : tracestate
        self.partitionKey = partitionKey
        self.replyTo = replyTo
        self.deadline = deadline
    }

    /// An envelope for a message of type `M`: `type` and `dataSchema` come from `M`.
    public init<M: BusMessage>(
        for message: M.Type, id: String, source: String, time: Instant,
        correlationID: String? = nil, causationID: String? = nil, traceparent: String? = nil
    ) {
        self.init(id: id, source: source, type: M.messageType, time: time, dataSchema: M.schemaReference.uri,
                  correlationID: correlationID, causationID: causationID, traceparent: traceparent)
    }

    /// The envelope of an output produced by `worker` from this input, at `position` among
    /// that input's outputs (0, 1, ...).
    ///
    /// The id is the version 5 UUID of (input id, worker, position) in the bus namespace; the
    /// causation is this input; the correlation is this input's correlation, or its id; the
    /// trace context (`traceparent`, `tracestate`) is kept; the source is "bus/<worker>"; the
    /// time is this input's time; `partitionkey` is not carried.
    /// Nothing depends on the clock, so a redelivered input gives the same envelope.
    public func derived(worker: String, position: Int, type: String, dataSchema: String?) -> Envelope {
        // The name is the compact JSON of [id, worker, position], written straight into bytes.
        var name: [UInt8] = []
        name.reserveCapacity(id.utf8.count + worker.utf8.count + 16)
        name.append(UInt8(ascii: "["))
        JSONWriter.writeString(id, into: &name)
        name.append(UInt8(ascii: ","))
        JSONWriter.writeString(worker, into: &name)
        name.append(UInt8(ascii: ","))
        name.append(contentsOf: String(position).utf8)
        name.append(UInt8(ascii: "]"))
        return Envelope(
            id: NameBasedUUID.busV5(name: name),
            source: "bus/\(worker)", type: type, time: time, dataSchema: dataSchema,
            contentType: Self.jsonContentType, correlationID: correlationID ?? id, causationID: id,
            traceparent: traceparent, tracestate: tracestate)
    }

    /// `derived(worker:position:type:dataSchema:)` for an output of type `M`.
    public func derived<M: BusMessage>(worker: String, position: Int, for message: M.Type) -> Envelope {
        derived(worker: worker, position: position, type: M.messageType, dataSchema: M.schemaReference.uri)
    }

    // MARK: Binary mode

    /// The binary-mode headers, in this order: `ce_specversion`, `ce_id`, `ce_source`,
    /// `ce_type`, `ce_time`, `content-type`, then those present of `ce_dataschema`,
    /// `ce_correlationid`, `ce_causationid`, `ce_partitionkey`, `ce_replyto`, `ce_deadline`,
    /// `traceparent`, `tracestate`.
    public var headers: [(key: String, value: String)] {
        var result: [(key: String, value: String)] = [
            ("ce_specversion", specversion), ("ce_id", id), ("ce_source", source), ("ce_type", type),
            ("ce_time", time.description), ("content-type", contentType),
        ]
        if let dataSchema { result.append(("ce_dataschema", dataSchema)) }
        if let correlationID { result.append(("ce_correlationid", correlationID)) }
        if let causationID { result.append(("ce_causationid", causationID)) }
        if let partitionKey { result.append(("ce_partitionkey", partitionKey)) }
        if let replyTo { result.append(("ce_replyto", replyTo)) }
        if let deadline { result.append(("ce_deadline", deadline.description)) }
        if let traceparent { result.append(("traceparent", traceparent)) }
        if let tracestate { result.append(("tracestate", tracestate)) }
        return result
    }

    /// Reads binary-mode headers (the last occurrence of a repeated key wins).
    ///
    /// Throws `.invalidEnvelope` listing every missing or malformed attribute. A missing
    /// `content-type` means JSON. The trace context is read from `traceparent` (W3C Trace
    /// Context for Kafka, as OpenTelemetry writes it) or else `ce_traceparent` (the
    /// CloudEvents distributed-tracing extension), with the `tracestate` of the same name
    /// family; a malformed `traceparent` is dropped with its `tracestate`, as W3C Trace
    /// Context prescribes (the trace restarts), rather than refusing the record.
    ///
    /// `time` is optional, as in CloudEvents: when the record has no `ce_time`, `recordTime`
    /// (the Kafka record's timestamp, which Java producers and Kafka Connect always set) is the
    /// event's time. It is stored in the log with the record, so a redelivery reads the same
    /// time and gives the same outputs. Without either, `ce_time` is reported missing.
    public init(headers: [(key: String, value: String)], recordTime: Instant? = nil) throws(SchemaError) {
        // A record has a dozen headers: scanning them (the last occurrence wins, as in Kafka)
        // is cheaper than building a table per record.
        func header(_ name: String) -> String? { headers.last { $0.key == name }?.value }
        try self.init(attributes: { header(Self.headerNames[$0] ?? $0) }, naming: Self.headerNames, binary: true, recordTime: recordTime)
        if traceparent == nil, let traced = header("ce_traceparent"), Self.isValidTraceparent(traced) {
            traceparent = traced
            tracestate = header("ce_tracestate")
        }
    }

    /// Reads either mode: structured when `content-type` is `application/cloudevents+json`
    /// (the value holds envelope and data), or when there is no `ce_specversion` header and
    /// the value is a JSON object with `specversion`; binary otherwise. Returns the envelope
    /// and the payload bytes. `recordTime`, the Kafka record's timestamp, stands for an absent
    /// `time` (see `init(headers:recordTime:)`).
    public static func read(
        headers: [(key: String, value: String)], value: Data, recordTime: Instant? = nil
    ) throws(SchemaError) -> (envelope: Envelope, payload: Data) {
        // Header names are case-insensitive here; the exact spelling is by far the most common.
        let contentType = headers.last { $0.key == "content-type" || ($0.key.utf8.count == 12 && $0.key.lowercased() == "content-type") }?.value
        if let contentType, mediaType(contentType) == structuredContentType {
            return try readStructured(value, recordTime: recordTime)
        }
        // A CloudEvent in structured form under a plain JSON content type (the CloudEvents
        // Python SDK's v1 API writes these): no `ce_specversion` header, and a value that
        // is a JSON object with `specversion`. Only looked at when binary mode would fail.
        if !headers.contains(where: { $0.key == "ce_specversion" }),
           (try? JSONParser().parse(value))?["specversion"] != nil {
            return try readStructured(value, recordTime: recordTime)
        }
        return (try Envelope(headers: headers, recordTime: recordTime), value)
    }

    static let headerNames: [String: String] = [
        "specversion": "ce_specversion", "id": "ce_id", "source": "ce_source", "type": "ce_type", "time": "ce_time",
        "datacontenttype": "content-type", "dataschema": "ce_dataschema", "correlationid": "ce_correlationid",
        "causationid": "ce_causationid", "partitionkey": "ce_partitionkey", "replyto": "ce_replyto",
        "deadline": "ce_deadline", "traceparent": "traceparent",
        "tracestate": "tracestate",
    ]

    /// The media type of a content type, lower-cased, without parameters ("application/json").
    static func mediaType(_ contentType: String) -> String {
        // Nearly every record says exactly "application/json": answer that without the
        // string surgery below, which is measurable on the hot path.
        if contentType == jsonContentType { return jsonContentType }
        return String(contentType.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Builds an envelope from attribute lookups, reporting every problem under its header or JSON name.
    init(attributes: (String) -> String?, naming: [String: String], binary: Bool, recordTime: Instant? = nil) throws(SchemaError) {
        var problems: [ValidationProblem] = []
        func name(_ attribute: String) -> String { naming[attribute] ?? attribute }
        func required(_ attribute: String) -> String {
            guard let value = attributes(attribute) else {
                problems.append(ValidationProblem(name(attribute), .missing))
                return ""
            }
            if value.isEmpty { problems.append(ValidationProblem(name(attribute), .empty)) }
            return value
        }
        func optional(_ attribute: String) -> String? {
            guard let value = attributes(attribute) else { return nil }
            if value.isEmpty { problems.append(ValidationProblem(name(attribute), .empty)) }
            return value
        }
        let version = required("specversion")
        if !version.isEmpty, version != Self.specVersion {
            problems.append(ValidationProblem(name("specversion"), .notAllowed(allowed: [Self.specVersion])))
        }
        let id = required("id")
        let source = required("source")
        let type = required("type")
        // An absent time is the record's (see `init(headers:recordTime:)`); one given must be valid.
        let timeText = attributes("time") == nil && recordTime != nil ? nil : required("time")
        let time: Instant? = if let timeText { Instant.fromRFC3339(timeText) } else { recordTime }
        if time == nil, let timeText, !timeText.isEmpty {
            problems.append(ValidationProblem(name("time"), .invalidFormat(
                expected: "an RFC 3339 date-time with an offset, such as 2024-05-03T10:15:30Z or 2024-05-03T12:15:30.5+02:00")))
        }
        let contentType = optional("datacontenttype") ?? Self.jsonContentType
        if Self.mediaType(contentType) != Self.jsonContentType, !contentType.isEmpty {
            problems.append(ValidationProblem(name("datacontenttype"), .notAllowed(allowed: [Self.jsonContentType])))
        }
        let dataSchema = optional("dataschema")
        let correlationID = optional("correlationid")
        let causationID = optional("causationid")
        let partitionKey = optional("partitionkey")
        let replyTo = optional("replyto")
        let deadlineText = optional("deadline")
        let deadline = deadlineText.flatMap(Instant.fromRFC3339)
        if deadline == nil, let deadlineText, !deadlineText.isEmpty {
            problems.append(ValidationProblem(name("deadline"), .invalidFormat(expected: "an RFC 3339 date-time with an offset, such as 2024-05-03T10:15:30.250Z")))
        }
        let traceparent = attributes("traceparent").flatMap { Self.isValidTraceparent($0) ? $0 : nil }
        let tracestate = traceparent == nil ? nil : attributes("tracestate")
        guard problems.isEmpty, let time else {
            throw SchemaError(.invalidEnvelope, "the CloudEvents \(binary ? "headers are" : "envelope is") incomplete or malformed", problems: problems)
        }
        self.init(id: id, source: source, type: type, time: time, dataSchema: dataSchema, contentType: contentType,
                  correlationID: correlationID, causationID: causationID, traceparent: traceparent,
                  tracestate: tracestate, partitionKey: partitionKey, replyTo: replyTo, deadline: deadline)
    }

    /// W3C Trace Context version 00: "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>", ids not all zero.
    public static func isValidTraceparent(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let isLowerHex: (Substring) -> Bool = { $0.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } }
        guard parts.count == 4, parts[0] == "00", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
              parts.allSatisfy(isLowerHex) else { return false }
        return parts[1].contains { $0 != "0" } && parts[2].contains { $0 != "0" }
    }
}
