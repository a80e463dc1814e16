/// A flow's rules, read from the JSON file named by `BUS_CONFIG`.
///
/// Conformers document their defaults in the flow's README and fall back to them field by field
/// with `KeyedDecodingContainer.decode(_:forKey:default:)`, so a file only lists what it changes.
public protocol FlowRules: Decodable, Sendable {
    /// The rules when no file is given, and the value of every field a file leaves out.
    static var defaults: Self { get }
}

extension KeyedDecodingContainer {
    /// The value for `key`, or `fallback` when the key is absent. A key that is present with a
    /// wrong type or `null` is still an error: a typo in a value must not silently become a default.
    public func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key, default fallback: Value) throws -> Value {
        contains(key) ? try decode(type, forKey: key) : fallback
    }
}
