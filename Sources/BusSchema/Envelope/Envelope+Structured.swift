import Foundation

extension Envelope {
    /// Reads a structured-mode record value (`application/cloudevents+json`): a JSON object
    /// with the attributes (`specversion`, `id`, `source`, `type`, `time`, `datacontenttype`,
    /// `dataschema`, `correlationid`, `causationid`, `traceparent`) and the payload in `data`.
    ///
    /// Returns the envelope and the payload as compact canonical JSON bytes. Throws
    /// `.undecodable` when the value is not JSON and `.invalidEnvelope` for missing or
    /// malformed attributes, a missing `data`, or `data_base64` (binary payloads are not bus messages).
    public static func readStructured(_ value: Data) throws(SchemaError) -> (envelope: Envelope, payload: Data) {
        let document = try JSONParser().parse(value)
        guard case let .object(members) = document else {
            throw SchemaError(.invalidEnvelope, "a structured CloudEvent must be a JSON object", problems: [
                ValidationProblem(JSONPath.root, .wrongType(expected: "object", found: document.typeName)),
            ])
        }
        var problems: [ValidationProblem] = []
        var attributes: [String: String] = [:]
        for member in members where member.key != "data" && member.key != "data_base64" {
            if let text = member.value.stringValue {
                attributes[member.key] = text
            } else {
                problems.append(ValidationProblem(JSONPath.root.key(member.key), .wrongType(expected: "string", found: member.value.typeName)))
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
            envelope = try Envelope(attributes: { attributes[$0] }, naming: naming, binary: false)
        } catch {
            throw SchemaError(.invalidEnvelope, error.message, problems: problems + error.problems)
        }
        guard problems.isEmpty, let data else {
            throw SchemaError(.invalidEnvelope, "the CloudEvents envelope is incomplete or malformed", problems: problems)
        }
        return (envelope, JSONWriter.compact(data))
    }

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
        if let traceparent { members.append(JSONMember("traceparent", .string(traceparent))) }
        members.append(JSONMember("data", data))
        return JSONWriter.compact(.object(members))
    }
}
