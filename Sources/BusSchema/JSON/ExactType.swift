/// `value` as a `U` when its static type `T` is exactly `U`, else nil.
///
/// Why not `value as? U`: from unspecialised generic code (every `Codable` container method
/// is called through a witness table) the runtime's dynamic cast builds `Optional<U>`'s
/// metadata and may search protocol conformances on every call: a large part of a message's
/// decoding and encoding. Comparing the two metatypes is one pointer comparison.
@inline(__always)
func exactly<T, U>(_ value: T, as type: U.Type) -> U? {
    guard T.self == U.self else { return nil }
    // Same type, so same layout: the bits are the value.
    return unsafeBitCast(value, to: U.self)
}
