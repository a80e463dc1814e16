import Foundation

/// Turns the topic catalogue into an AsyncAPI 3.0 document, `topics/asyncapi.json`: the
/// contract in a form tools read (code generators, catalogues, documentation sites).
///
/// Guarantees: the output depends only on the catalogue and the registry (same input, same
/// bytes). Every catalogue topic is a channel, its address the topic name (its id the name
/// with underscores for dots), with Kafka
/// channel bindings (partitions, replicas, `cleanup.policy`, `retention.ms`). Every message
/// type and version it carries is a message of that channel: payload a `$ref` to
/// `schemas/<type>.v<version>.json`, the record key described in its Kafka message binding,
/// the CloudEvents headers as the shared trait `cloudEvents`. Every writer has a `send`
/// operation and every reader a `receive` one; a worker reading a stream names its
/// consumer group (the worker name) in the Kafka operation binding.
public enum AsyncAPIExporter {
    /// The AsyncAPI version written.
    public static let asyncAPIVersion = "3.0.0"
    /// The Kafka bindings version written.
    public static let kafkaBindingVersion = "0.5.0"
    /// The file name, beside `topics.json`.
    public static let fileName = "asyncapi.json"

    /// The document, pretty canonical JSON.
    public static func export(_ catalogue: TopicCatalogue, registry: MessageRegistry = .standard) -> Data {
        JSONWriter.pretty(document(catalogue, registry: registry))
    }

    /// The document as a JSON value.
    public static func document(_ catalogue: TopicCatalogue, registry: MessageRegistry = .standard) -> JSONValue {
        .object([
            JSONMember("asyncapi", .string(asyncAPIVersion)),
            JSONMember("info", .object([
                JSONMember("title", .string("Commerce integration bus")),
                JSONMember("version", .string("1.0.0")),
                JSONMember("description", .string(
                    "The topics between the ERP, the e-commerce site and the bus's workers, generated from topics/topics.json by `bus schema export`. "
                        + "Records are CloudEvents 1.0 in Kafka binary mode (structured mode accepted on input), keyed as each channel's key says, "
                        + "partitioned with murmur2 as Kafka's Java client does (librdkafka: partitioner=murmur2_random)."
                )),
            ])),
            JSONMember("defaultContentType", .string(Envelope.jsonContentType)),
            JSONMember("channels", .object(catalogue.topics.map { JSONMember(identifier($0.name), channel($0, registry: registry)) })),
            JSONMember("operations", .object(catalogue.topics.flatMap { operations($0, catalogue: catalogue, registry: registry) })),
            JSONMember("components", .object([
                JSONMember("messageTraits", .object([JSONMember("cloudEvents", cloudEventsTrait)])),
            ])),
        ])
    }

    /// The message ids of a topic: "<type>.v<version>" for every version the registry knows.
    static func messageIDs(_ topic: Topic, registry: MessageRegistry) -> [SchemaReference] {
        topic.messageTypes.flatMap { type in registry.versions(of: type).map { SchemaReference(messageType: type, version: $0) } }
    }

    private static func channel(_ topic: Topic, registry: MessageRegistry) -> JSONValue {
        var configuration = [JSONMember("cleanup.policy", .array([.string(topic.cleanup.rawValue)]))]
        configuration.append(JSONMember("retention.ms", .integer(Int(topic.retentionMs))))
        let messages = messageIDs(topic, registry: registry).compactMap { reference -> JSONMember? in
            guard let type = try? registry.type(named: reference.messageType, version: reference.version) else { return nil }
            return JSONMember(messageID(reference), message(type, key: topic.key))
        }
        var members = [
            JSONMember("address", .string(topic.name)),
            JSONMember("description", .string(topic.description)),
        ]
        if topic.messageTypes.isEmpty {
            // Dead letters and changelogs carry other workers' records or state, not one message type.
            members.append(JSONMember("x-carries", .string(topic.name.hasPrefix("bus.dlq.")
                ? "the original records that could not be processed, bytes and headers kept, plus bus_error_* headers"
                : "the worker's state, one JSON value per state key")))
        }
        members.append(JSONMember("messages", .object(messages)))
        members.append(JSONMember("bindings", .object([JSONMember("kafka", .object([
            JSONMember("topic", .string(topic.name)),
            JSONMember("partitions", .integer(topic.partitions)),
            JSONMember("replicas", .integer(topic.replication)),
            JSONMember("topicConfiguration", .object(configuration)),
            JSONMember("bindingVersion", .string(kafkaBindingVersion)),
        ]))])))
        return .object(members)
    }

    private static func messageID(_ reference: SchemaReference) -> String { identifier("\(reference.messageType).v\(reference.version)") }

    /// A name as a key of the document's maps: dots become underscores, since AsyncAPI tools
    /// hold map keys to letters, digits, hyphens and underscores ("erp.customers" is channel
    /// "erp_customers" at address "erp.customers").
    public static func identifier(_ name: String) -> String { name.replacingOccurrences(of: ".", with: "_") }

    private static func message(_ type: any BusMessage.Type, key: String) -> JSONValue {
        .object([
            JSONMember("name", .string(type.messageType)),
            JSONMember("title", .string(type.schemaReference.description)),
            JSONMember("summary", .string(type.summary)),
            JSONMember("contentType", .string(Envelope.jsonContentType)),
            JSONMember("payload", .object([JSONMember("$ref", .string("schemas/\(type.schemaReference.fileName)"))])),
            JSONMember("traits", .array([.object([JSONMember("$ref", .string("#/components/messageTraits/cloudEvents"))])])),
            JSONMember("bindings", .object([JSONMember("kafka", .object([
                JSONMember("key", .object([
                    JSONMember("type", .string("string")),
                    JSONMember("description", .string("The record key: the \(key). UTF-8.")),
                ])),
                JSONMember("bindingVersion", .string(kafkaBindingVersion)),
            ]))])),
            JSONMember("x-ce-type", .string(type.messageType)),
            JSONMember("x-ce-dataschema", .string(type.schemaReference.uri)),
        ])
    }

    private static func operations(_ topic: Topic, catalogue: TopicCatalogue, registry: MessageRegistry) -> [JSONMember] {
        let messages = JSONValue.array(messageIDs(topic, registry: registry).map { reference in
            .object([JSONMember("$ref", .string("#/channels/\(identifier(topic.name))/messages/\(messageID(reference))"))])
        })
        let channel = JSONValue.object([JSONMember("$ref", .string("#/channels/\(identifier(topic.name))"))])
        let sends = topic.writers.map { writer in
            var members = [
                JSONMember("action", .string("send")),
                JSONMember("channel", channel),
                JSONMember("summary", .string("\(writer) writes \(topic.name).")),
                JSONMember("messages", messages),
            ]
            if let replyTopic = topic.replyTopic {
                // A request: its answer comes back on the reply topic, under the request's key,
                // to the address its ce_replyto header names.
                members.append(JSONMember("reply", .object([
                    JSONMember("address", .object([
                        JSONMember("description", .string("The answer topic the request names in ce_replyto (\(replyTopic)); the answer is keyed as the request.")),
                        JSONMember("location", .string("$message.header#/ce_replyto")),
                    ])),
                    JSONMember("channel", .object([JSONMember("$ref", .string("#/channels/\(identifier(replyTopic))"))])),
                ])))
            }
            return JSONMember(identifier("\(writer).send.\(topic.name)"), .object(members))
        }
        let receives = topic.readers.map { reader in
            var members = [
                JSONMember("action", .string("receive")),
                JSONMember("channel", channel),
                JSONMember("summary", .string(reader.reads == .stream
                    ? "\(reader.name) reads \(topic.name) as a stream, partitions shared among its replicas."
                    : "\(reader.name) reads every partition of \(topic.name) into a table, in each replica, without a consumer group.")),
                JSONMember("messages", messages),
            ]
            if catalogue.workers.contains(reader.name), reader.reads == .stream {
                members.append(JSONMember("bindings", .object([JSONMember("kafka", .object([
                    JSONMember("groupId", .object([
                        JSONMember("type", .string("string")), JSONMember("enum", .array([.string(reader.name)])),
                        JSONMember("description", .string("The consumer group: the worker name (BUS_GROUP_ID overrides it).")),
                    ])),
                    JSONMember("bindingVersion", .string(kafkaBindingVersion)),
                ]))])))
            }
            return JSONMember(identifier("\(reader.name).receive.\(topic.name)"), .object(members))
        }
        return sends + receives
    }

    /// The CloudEvents 1.0 Kafka binary-mode headers, as the README's profile states them.
    static var cloudEventsTrait: JSONValue {
        func header(_ description: String, format: String? = nil) -> JSONValue {
            var members = [JSONMember("type", .string("string")), JSONMember("description", .string(description))]
            if let format { members.append(JSONMember("format", .string(format))) }
            return .object(members)
        }
        return .object([
            JSONMember("summary", .string("CloudEvents 1.0, Kafka protocol binding, binary content mode")),
            JSONMember("description", .string(
                "In binary mode the record value is the payload and these headers carry the attributes. In structured mode "
                    + "(content-type application/cloudevents+json) the value is the JSON event format and holds the same attributes with data."
            )),
            JSONMember("headers", .object([
                JSONMember("type", .string("object")),
                JSONMember("required", .array(["ce_specversion", "ce_id", "ce_source", "ce_type"].map(JSONValue.string))),
                JSONMember("properties", .object([
                    JSONMember("ce_specversion", .object([JSONMember("type", .string("string")), JSONMember("const", .string(Envelope.specVersion))])),
                    JSONMember("ce_id", header("The event id, unique per source; outputs' ids derive from their input's.")),
                    JSONMember("ce_source", header("Who produced the event, a URI reference such as erp/sage-x3 or bus/order-ingest.", format: "uri-reference")),
                    JSONMember("ce_type", header("The message type, e.g. shop.order: the message's x-ce-type.")),
                    JSONMember("ce_time", header("When the event happened: any RFC 3339 date-time; the bus normalises it to UTC. Optional: when absent, the record's Kafka timestamp is the event's time.", format: "date-time")),
                    JSONMember("content-type", header("application/json (the default when absent), or application/cloudevents+json for structured mode.")),
                    JSONMember("ce_dataschema", header("The schema version, the message's x-ce-dataschema; optional, and version 1 of ce_type when absent.", format: "uri")),
                    JSONMember("ce_partitionkey", header("Optional; when present it must equal the record key.")),
                    JSONMember("ce_correlationid", header("Optional: the id shared by every event of one business conversation.")),
                    JSONMember("ce_causationid", header("Optional: the id of the event that caused this one.")),
                    JSONMember("ce_replyto", header("A request's answer topic (live queries); required on a request topic's records.")),
                    JSONMember("ce_deadline", header("A request's deadline, RFC 3339: read after it, the request is answered timeout.", format: "date-time")),
                    JSONMember("traceparent", header("Optional W3C trace context, carried to every output; ce_traceparent is read too.")),
                    JSONMember("tracestate", header("Optional W3C trace state, carried with traceparent; ce_tracestate is read too.")),
                ])),
            ])),
        ])
    }
}
