// Flows cannot import the runtime, whose `decode(_:forKey:default:)` serves the same purpose:
// this is its twin for the rules type of this module.
extension KeyedDecodingContainer {
    /// The value for `key`, or `fallback` when the key is absent. A key present with a wrong
    /// type or `null` is an error: a typo in a value must not silently become a default.
    func value<Value: Decodable>(_ type: Value.Type, forKey key: Key, default fallback: Value) throws -> Value {
        contains(key) ? try decode(type, forKey: key) : fallback
    }
}
