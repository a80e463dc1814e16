import Foundation

/// Reads a Kafka record's headers, key and value as a bus message: the one path every
/// reader of the bus takes (the workers' runtime, `bus publish`, `bus schema validate`).
///
/// Guarantees, in this order, each failure a `SchemaError` naming the field:
/// a value framed by a schema-registry serializer is refused as such
/// (`.schemaRegistryFraming`); the envelope is read in either content mode
/// (`Envelope.read`); a `partitionkey` present must equal the record key
/// (`.partitionKeyMismatch`); the payload is decoded at the version of
/// `Envelope.resolvedSchema()` and validated by `codec`.
public struct RecordReader: Sendable {
    /// The message types and versions this reader knows.
    public var registry: MessageRegistry
    /// How payloads are decoded (tolerant for workers, strict for the CLI).
    public var codec: MessageCodec

    /// A reader of `registry`'s types with `codec`.
    public init(registry: MessageRegistry = .standard, codec: MessageCodec = MessageCodec()) {
        self.registry = registry
        self.codec = codec
    }

    /// The envelope and the message of one record. `key` is the record key as UTF-8 (nil
    /// for a record without key); the `partitionkey` check is skipped when `checksKey` is false
    /// (a file validated without naming its key). `recordTime`, the record's Kafka timestamp,
    /// is the event's time when it has no `time` attribute.
    public func read(
        headers: [(key: String, value: String)], key: String?, value: Data, checksKey: Bool = true, recordTime: Instant? = nil
    ) throws(SchemaError) -> (envelope: Envelope, message: any BusMessage) {
        let (envelope, payload) = try envelope(headers: headers, key: key, value: value, checksKey: checksKey, recordTime: recordTime)
        return (envelope, try registry.decode(envelope, payload: payload, codec: codec))
    }

    /// The envelope and the undecoded payload of one record: `read` up to, and without, the
    /// payload's decoding. A reader that refuses some types (a flow that does not read them on
    /// that topic) can say so before it decodes a payload it would not take anyway.
    public func envelope(
        headers: [(key: String, value: String)], key: String?, value: Data, checksKey: Bool = true, recordTime: Instant? = nil
    ) throws(SchemaError) -> (envelope: Envelope, payload: Data) {
        if let schemaID = Self.schemaRegistryID(value) {
            throw SchemaError(.schemaRegistryFraming, "the value starts with a schema-registry frame (magic byte 0, schema id \(schemaID)); the bus reads plain JSON: use a plain JSON or string value serializer, not the schema-registry one", problems: [
                ValidationProblem(JSONPath.root, .invalidFormat(expected: "a JSON document, without a schema-registry frame")),
            ])
        }
        let (envelope, payload) = try Envelope.read(headers: headers, value: value, recordTime: recordTime)
        if checksKey, let partitionKey = envelope.partitionKey, partitionKey != key {
            throw SchemaError(.partitionKeyMismatch, "the CloudEvents partitionkey differs from the record key; publish with the key the partitionkey names (SDKs do so by default)", problems: [
                ValidationProblem("ce_partitionkey", .inconsistent(rule: "ce_partitionkey must equal the record key")),
            ])
        }
        return (envelope, payload)
    }

    /// The schema id of a value in the schema-registry wire format (byte 0 is 0, bytes 1–4
    /// the big-endian schema id), nil otherwise. No JSON document starts with a zero byte,
    /// so this never mistakes a bus message for a framed one.
    static func schemaRegistryID(_ value: Data) -> UInt32? {
        guard value.count >= 5, value.first == 0 else { return nil }
        let start = value.startIndex
        return (1...4).reduce(UInt32(0)) { id, offset in id << 8 | UInt32(value[start + offset]) }
    }
}
