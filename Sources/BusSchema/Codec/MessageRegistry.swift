import Foundation

/// Every message type and version a reader knows, looked up by name.
///
/// Guarantees: lookups by unknown type or version throw a `SchemaError` that says which
/// types or versions are known; `all` is sorted by type then version.
public struct MessageRegistry: Sendable {
    private let types: [SchemaReference: any BusMessage.Type]

    /// The references registered more than once (only the first of each is kept).
    public let duplicates: [SchemaReference]

    /// A registry of `types`.
    public init(_ types: [any BusMessage.Type]) {
        var table: [SchemaReference: any BusMessage.Type] = [:]
        var duplicates: [SchemaReference] = []
        for type in types {
            if table[type.schemaReference] == nil {
                table[type.schemaReference] = type
            } else {
                duplicates.append(type.schemaReference)
            }
        }
        self.types = table
        self.duplicates = duplicates
    }

    /// Every type and version, sorted by type then version.
    public var all: [any BusMessage.Type] {
        types.keys.sorted().compactMap { types[$0] }
    }

    /// Every message type name, sorted.
    public var messageTypes: [String] { Set(types.keys.map(\.messageType)).sorted() }

    /// The versions known for `messageType`, ascending; empty when the type is unknown.
    public func versions(of messageType: String) -> [Int] {
        types.keys.filter { $0.messageType == messageType }.map(\.version).sorted()
    }

    /// The Swift type for `messageType` at `version`; throws `.unknownType` or `.unknownVersion`.
    public func type(named messageType: String, version: Int) throws(SchemaError) -> any BusMessage.Type {
        if let type = types[SchemaReference(messageType: messageType, version: version)] { return type }
        let known = versions(of: messageType)
        guard !known.isEmpty else {
            throw SchemaError(.unknownType, "no message type of this name is known; see topics/topics.json for the list", problems: [
                ValidationProblem("ce_type", .unknownMessageType),
            ])
        }
        throw SchemaError(.unknownVersion, "\(messageType) has no schema version \(version); this reader knows \(known.map { "v\($0)" }.joined(separator: ", "))", problems: [
            ValidationProblem("ce_dataschema", .unknownSchemaVersion(known: known)),
        ])
    }

    /// The message in `data`, of the given type and version, decoded and validated by `codec`.
    public func decode(messageType: String, version: Int, from data: Data, codec: MessageCodec = MessageCodec()) throws(SchemaError) -> any BusMessage {
        let type = try type(named: messageType, version: version)
        return try open(type, data, codec)
    }

    /// The message described by an envelope: its `type`, at the version of
    /// `Envelope.resolvedSchema()` (the one in `dataSchema`, else version 1).
    /// Throws `.invalidEnvelope` when `dataSchema` is malformed or names another type.
    public func decode(_ envelope: Envelope, payload: Data, codec: MessageCodec = MessageCodec()) throws(SchemaError) -> any BusMessage {
        let reference = try envelope.resolvedSchema()
        return try decode(messageType: reference.messageType, version: reference.version, from: payload, codec: codec)
    }

    private func open<M: BusMessage>(_ type: M.Type, _ data: Data, _ codec: MessageCodec) throws(SchemaError) -> any BusMessage {
        try codec.decode(type, from: data)
    }
}
