import Foundation

extension Envelope {
    /// Reads a structured-mode record value (`application/cloudevents+json`): a JSON object
    /// with the attributes (`specversion`, `id`, `source`, `type`, `time`, `datacontenttype`,
    /// `dataschema`, `correlationid`, `causationid`, `partitionkey`, `traceparent`,
    /// `tracestate`) and the payload in `data`.
    ///
    /// As the CloudEvents JSON format says: a `null` attribute is unset; extension
    /// attributes may be JSON numbers or booleans, read as their string form; the context
    /// attributes of the specification must be strings.
    ///
    /// Returns the envelope and the payload as compact canonical JSON bytes. Throws
    /// `.undecodable` when the value is not JSON and `.invalidEnvelope` for missing or
    /// malformed attributes, a missing `data`, or `data_base64` (binary payloads are not bus messages).
    /// An absent (or `null`) `time` is `recordTime`, the Kafka record's timestamp, when given.
    public static func readStructured(_ value: Data, recordTime: Instant? = nil) throws(SchemaError) -> (envelope: Envelope, payload: Data) {
        let document = try JSONParser().parse(value)
        guard case let .object(members) = document else {
            throw SchemaError(.invalidEnvelope, "a structured CloudEvent must be a JSON object", problems: [
                ValidationProblem(JSONPath.root, .wrongType(expected: "object", found: document.typeName)),
            ])
        }
        var problems: [ValidationProblem] = []
        var attributes: [String: String] = [:]
        for member in members where member.key != "data" && member.key != "data_base64" {
            switch member.value {
            case .null:
                // The JSON event format: a null attribute is an absent one.
                continue
            case let .string(text):
                attributes[member.key] = text
            case let .number(text) where !coreAttributes.contains(member.key):
                // Extension attributes may be CloudEvents Integers or Booleans; the bus
                // carries them in their canonical string form, as binary mode does.
                attributes[member.key] = text
            case let .bool(flag) where !coreAttributes.contains(member.key):
                attributes[member.key] = flag ? "true" : "false"
            default:
                let expected = coreAttributes.contains(member.key) ? "string" : "string, number or boolean"
                problems.append(ValidationProblem(JSONPath.root.key(member.key), .wrongType(expected: expected, found: member.value.typeName)))
            }
        }
        if document["data_base64"] != nil {
            problems.append(ValidationProblem(JSONPath.root.key("data_base64"), .notAllowed(allowed: ["data"])))
        }
        let data = document["data"]
        if data == nil { problems.append(ValidationProblem(JSONPath.root.key("data"), .missing)) }
        let naming = Dictionary(uniqueKeysWithValues: headerNames.keys.map { ($0, JSONPath.root.key($0).description) })
        let envelope: Envelope
        do throws(SchemaError) {
            envelope = try Envelope(attributes: { attributes[$0] }, naming: naming, binary: false, recordTime: recordTime)
        } catch {
            throw SchemaError(.invalidEnvelope, error.message, problems: problems + error.problems)
        }
        guard problems.isEmpty, let data else {
            throw SchemaError(.invalidEnvelope, "the CloudEvents envelope is incomplete or malformed", problems: problems)
        }
        return (envelope, JSONWriter.compact(data))
    }

    /// The attributes CloudEvents 1.0 defines, all of type String (or URI, Timestamp, which
    /// the JSON format writes as strings).
    static let coreAttributes: Set<String> = [
        "specversion", "id", "source", "type", "time", "datacontenttype", "dataschema", "subject",
    ]

    /// The structured-mode record value for this envelope and a JSON `payload`: the
    /// attributes and `data`, compact canonical JSON. Throws `.undecodable` when the payload is not JSON.
    public func structured(payload: Data) throws(SchemaError) -> Data {
        let data = try JSONParser().parse(payload)
        var members: [JSONMember] = [
            JSONMember("specversion", .string(specversion)), JSONMember("id", .string(id)),
            JSONMember("source", .string(source)), JSONMember("type", .string(type)),
            JSONMember("time", .string(time.description)), JSONMember("datacontenttype", .string(contentType)),
        ]
        if let dataSchema { members.append(JSONMember("dataschema", .string(dataSchema))) }
        if let correlationID { members.append(JSONMember("correlationid", .string(correlationID))) }
        if let causationID { members.append(JSONMember("causationid", .string(causationID))) }
        if let partitionKey { members.append(JSONMember("partitionkey", .string(partitionKey))) }
        if let traceparent { members.append(JSONMember("traceparent", .string(traceparent))) }
        if let tracestate { members.append(JSONMember("tracestate", .string(tracestate))) }
        members.append(JSONMember("data", data))
        return JSONWriter.compact(.object(members))
    }
}
