extension Envelope {
    /// The message type and version named by `dataSchema`, when it names a bus schema: the
    /// URN "urn:commerce-bus:schema:shop.order.v1", or any URI whose last path segment is
    /// a schema file name, such as ".../topics/schemas/shop.order.v1.json". Nil when
    /// `dataSchema` is absent or names something else.
    public var schemaReference: SchemaReference? {
        guard let dataSchema else { return nil }
        if dataSchema.hasPrefix(SchemaReference.uriPrefix) { return SchemaReference(uri: dataSchema) }
        guard let lastSegment = dataSchema.split(separator: "/").last, lastSegment.hasSuffix(".json") else { return nil }
        return SchemaReference(uri: String(lastSegment))
    }

    /// The schema version this record is read with.
    ///
    /// The rule, in the README's CloudEvents profile: `dataschema` names the version when
    /// present; when absent (CloudEvents makes it optional, and SDKs leave it out) the
    /// record is version 1 of its `type`. Version 1 rather than the newest one the reader
    /// knows, so that a record's meaning never changes when a reader learns a new version;
    /// a producer of version 2 or later must say so in `dataschema`.
    ///
    /// Throws `.invalidEnvelope` when `dataschema` is present but names no bus schema, or
    /// names another message type than `type`.
    public func resolvedSchema() throws(SchemaError) -> SchemaReference {
        guard let dataSchema else { return SchemaReference(messageType: type, version: 1) }
        guard let reference = schemaReference else {
            throw SchemaError(.invalidEnvelope, "ce_dataschema must name a bus schema, e.g. \(SchemaReference(messageType: type, version: 1).uri), or be left out for version 1", problems: [
                ValidationProblem("ce_dataschema", dataSchema.isEmpty ? .empty : .invalidFormat(expected: "urn:commerce-bus:schema:<type>.v<version>")),
            ])
        }
        guard reference.messageType == type else {
            throw SchemaError(.invalidEnvelope, "ce_dataschema names another message type than ce_type", problems: [
                ValidationProblem("ce_dataschema", .inconsistent(rule: "ce_dataschema must name the message type in ce_type")),
            ])
        }
        return reference
    }
}
