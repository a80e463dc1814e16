/// Decodes `Decodable` values straight from a parsed `JSONValue`, so a record is parsed once
/// (by `JSONParser`) and never again by Foundation's `JSONDecoder`.
///
/// Guarantees: the same values as `JSONDecoder` for every bus message (strings, booleans,
/// integers from their exact literals, keyed and unkeyed containers, `nil` for absent or
/// `null`); failures are `DecodingError`s whose coding path locates the field, so
/// `MessageCodec` can name it as a JSON path. Never traps, whatever the value.
struct JSONValueDecoder {
    /// The `T` that `value` holds.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder(value: value, codingPath: []).decodeValue(T.self)
    }
}

extension Decoder {
    /// The string this decoder holds, as `singleValueContainer().decode(String.self)` gives it;
    /// the bus's own decoder answers without a container (a boxed value per field).
    func singleString() throws -> String {
        if let fast = self as? ValueDecoder { return try fast.string() }
        return try singleValueContainer().decode(String.self)
    }
}

/// The key of an array element in a coding path.
private struct ElementKey: CodingKey {
    var stringValue: String { String(index) }
    var intValue: Int? { index }
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { index = intValue }
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case let .object(members) = value else { throw mismatch([String: JSONValue].self) }
        return KeyedDecodingContainer(KeyedValueContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case let .array(elements) = value else { throw mismatch([JSONValue].self) }
        return UnkeyedValueContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValueContainer(decoder: self) }

    func mismatch(_ expected: Any.Type) -> DecodingError { mismatch(expected, at: codingPath) }

    func mismatch(_ expected: Any.Type, at path: [any CodingKey]) -> DecodingError {
        DecodingError.typeMismatch(expected, .init(codingPath: path, debugDescription: "found \(value.typeName)"))
    }

    /// The primitives the bus's messages hold, read without a detour through `init(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let primitive: T = try Self.primitive(value, at: codingPath) { return primitive }
        return try T(from: self)
    }

    /// `value` as a `T` that is a String, Bool, Int or Int64, or nil for any other `T`; the
    /// coding path is built only when the value is the wrong one (a field's path costs an
    /// array, and most fields are right).
    static func primitive<T>(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> T? {
        if T.self == String.self { return try exactly(ValueDecoder(value: value, codingPath: []).string(path), as: T.self) }
        if T.self == Bool.self { return try exactly(ValueDecoder(value: value, codingPath: []).bool(path), as: T.self) }
        if T.self == Int.self { return try exactly(ValueDecoder(value: value, codingPath: []).integer(Int.self, path), as: T.self) }
        if T.self == Int64.self { return try exactly(ValueDecoder(value: value, codingPath: []).integer(Int64.self, path), as: T.self) }
        return nil
    }

    func string() throws -> String { try string { codingPath } }

    func string(_ path: () -> [any CodingKey]) throws -> String {
        guard case let .string(text) = value else { throw mismatch(String.self, at: path()) }
        return text
    }

    func bool() throws -> Bool { try bool { codingPath } }

    func bool(_ path: () -> [any CodingKey]) throws -> Bool {
        guard case let .bool(flag) = value else { throw mismatch(Bool.self, at: path()) }
        return flag
    }

    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I { try integer(type) { codingPath } }

    func integer<I: FixedWidthInteger>(_ type: I.Type, _ path: () -> [any CodingKey]) throws -> I {
        guard case let .number(literal) = value else { throw mismatch(I.self, at: path()) }
        guard let number = I(literal) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "not an integer that fits \(I.self)"))
        }
        return number
    }

    func floatingPoint<F: LosslessStringConvertible>(_ type: F.Type) throws -> F {
        guard case let .number(literal) = value, let number = F(literal) else { throw mismatch(F.self) }
        return number
    }
}

private struct KeyedValueContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [JSONMember]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { member(key) != nil }

    private func member(_ key: Key) -> JSONValue? {
        let name = key.stringValue
        for member in members where member.key == name { return member.value }
        return nil
    }

    private func decoder(for key: Key) throws -> ValueDecoder {
        guard let value = member(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        return ValueDecoder(value: value, codingPath: codingPath + [key])
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = member(key) else { return true }
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = member(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        if case .null = value {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [key], debugDescription: "null"))
        }
        if let primitive: T = try ValueDecoder.primitive(value, at: codingPath + [key]) { return primitive }
        return try T(from: ValueDecoder(value: value, codingPath: codingPath + [key]))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = member(key) else { return nil }
        if case .null = value { return nil }
        if let primitive: T = try ValueDecoder.primitive(value, at: codingPath + [key]) { return primitive }
        return try T(from: ValueDecoder(value: value, codingPath: codingPath + [key]))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: members.first { $0.key == "super" }?.value ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: member(key) ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedValueContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next() throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath + [ElementKey(currentIndex)], debugDescription: "no more elements"))
        }
        defer { currentIndex += 1 }
        return ValueDecoder(value: elements[currentIndex], codingPath: codingPath + [ElementKey(currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = elements[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let element = try next()
        if case .null = element.value {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: element.codingPath, debugDescription: "null"))
        }
        return try element.decodeValue(T.self)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool() }
    func decode(_ type: String.Type) throws -> String { try decoder.string() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.floatingPoint(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.floatingPoint(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if case .null = decoder.value {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath, debugDescription: "null"))
        }
        return try decoder.decodeValue(T.self)
    }
}
