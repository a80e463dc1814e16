/// Decoding helpers for flows' rules files (`BUS_CONFIG`), shared by every flow and the
/// runtime: a file lists only what it changes, and a mistake in it is an error, never a
/// silent default.
extension KeyedDecodingContainer {
    /// The value for `key`, or `fallback` when the key is absent. A key that is present with a
    /// wrong type or `null` is still an error: a typo in a value must not silently become a default.
    public func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key, default fallback: Value) throws -> Value {
        contains(key) ? try decode(type, forKey: key) : fallback
    }

    /// The value for `key`, or nil when the key is absent; `null` is an error, as above.
    public func decodeIfListed<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        contains(key) ? try decode(type, forKey: key) : nil
    }
}

/// Checks a rules file's field names, so a misspelt field is reported instead of being
/// silently replaced by its default.
public enum FlowRulesKeys {
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Throws a decoding error naming the first field of the object being decoded that is not in `known`.
    public static func refuseUnknown(in decoder: any Decoder, known: [String]) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let allowed = Set(known)
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !allowed.contains(key.stringValue) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "unknown field; the known fields are \(known.sorted().joined(separator: ", "))")
        }
    }
}
