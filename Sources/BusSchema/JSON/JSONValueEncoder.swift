import Foundation

/// Encodes `Encodable` values into a `JSONValue`, integers as exact literals.
///
/// It never throws by itself: every container operation succeeds. Floating-point values
/// are written with Swift's shortest round-trip text; bus messages contain none (money
/// is integer minor units, quantities and rates are decimal strings).
struct JSONValueEncoder {
    /// The value tree of `value`, or nil when the value's own `encode(to:)` throws.
    static func encode(_ value: some Encodable) -> JSONValue? {
        let root = EncodingNode()
        do {
            try value.encode(to: NodeEncoder(node: root, codingPath: []))
        } catch {
            return nil
        }
        return root.value
    }

    /// The compact canonical bytes of `value` (what `JSONWriter.compact` gives for its tree),
    /// written straight from the encoded nodes into one buffer, or nil when `encode(to:)` throws.
    static func compact(_ value: some Encodable) -> Data? {
        let root = EncodingNode()
        do {
            try value.encode(to: NodeEncoder(node: root, codingPath: []))
        } catch {
            return nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(512)
        root.writeCompact(into: &out)
        return Data(out)
    }
}

/// A mutable slot that ends up holding one JSON value; containers fill it in place.
///
/// Members and elements are kept in stored arrays appended in place (never copied out of an
/// enum and back, which would copy the array on every field).
private final class EncodingNode {
    enum Kind {
        case empty
        case scalar(JSONValue)
        case object
        case array
    }

    var kind: Kind = .empty
    var members: [(key: String, node: EncodingNode)] = []
    var elements: [EncodingNode] = []

    var value: JSONValue {
        switch kind {
        case .empty: return .object([])
        case let .scalar(value): return value
        case .object:
            var result: [JSONMember] = []
            result.reserveCapacity(members.count)
            for member in members {
                // A key encoded twice keeps its last value, in its first place.
                if let index = result.firstIndex(where: { $0.key == member.key }) {
                    result[index].value = member.node.value
                } else {
                    result.append(JSONMember(member.key, member.node.value))
                }
            }
            return .object(result)
        case .array: return .array(elements.map(\.value))
        }
    }

    /// The compact canonical form of `value`, without building it: members sorted by key
    /// (UTF-8 order), a key encoded twice written once with its last value.
    func writeCompact(into out: inout [UInt8]) {
        switch kind {
        case .empty:
            out.append(UInt8(ascii: "{"))
            out.append(UInt8(ascii: "}"))
        case let .scalar(value):
            JSONWriter.write(value, into: &out, indent: nil)
        case .object:
            var order = Array(members.indices)
            order.sort { left, right in
                let (a, b) = (members[left].key, members[right].key)
                return a == b ? left < right : a.utf8.lexicographicallyPrecedes(b.utf8)
            }
            out.append(UInt8(ascii: "{"))
            var first = true
            for (position, index) in order.enumerated() {
                if position + 1 < order.count, members[order[position + 1]].key == members[index].key { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONWriter.writeString(members[index].key, into: &out)
                out.append(UInt8(ascii: ":"))
                members[index].node.writeCompact(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array:
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                element.writeCompact(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    func setScalar(_ value: JSONValue) {
        kind = .scalar(value)
        members = []
        elements = []
    }

    func child(forKey key: String) -> EncodingNode {
        makeObject()
        let child = EncodingNode()
        members.append((key, child))
        return child
    }

    func appendChild() -> EncodingNode {
        makeArray()
        let child = EncodingNode()
        elements.append(child)
        return child
    }

    func makeObject() {
        if case .object = kind { return }
        kind = .object
        members = []
    }

    func makeArray() {
        if case .array = kind { return }
        kind = .array
        elements = []
    }
}

private struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ index: Int) { stringValue = String(index); intValue = index }
    init?(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init?(intValue: Int) { self.init(intValue) }
}

private struct NodeEncoder: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

/// Turns one primitive or nested `Encodable` into the node's content; the coding path is
/// built only for a nested value (a field's path costs an array, and most fields are primitives).
private func store<T: Encodable>(_ value: T, in node: EncodingNode, codingPath: @autoclosure () -> [any CodingKey]) throws {
    if let text = exactly(value, as: String.self) { return node.setScalar(.string(text)) }
    if let flag = exactly(value, as: Bool.self) { return node.setScalar(.bool(flag)) }
    if let number = exactly(value, as: Int.self) { return node.setScalar(.number(String(number))) }
    if let number = exactly(value, as: Int64.self) { return node.setScalar(.number(String(number))) }
    if let number = integerText(value) { return node.setScalar(.number(number)) }
    if let number = exactly(value, as: Double.self) { return node.setScalar(.number(number.description)) }
    if let number = exactly(value, as: Float.self) { return node.setScalar(.number(number.description)) }
    try value.encode(to: NodeEncoder(node: node, codingPath: codingPath()))
}

/// The literal of a standard integer type other than Int and Int64, which bus messages do not use.
private func integerText<T>(_ value: T) -> String? {
    if let number = exactly(value, as: Int32.self) { return String(number) }
    if let number = exactly(value, as: Int16.self) { return String(number) }
    if let number = exactly(value, as: Int8.self) { return String(number) }
    if let number = exactly(value, as: UInt.self) { return String(number) }
    if let number = exactly(value, as: UInt64.self) { return String(number) }
    if let number = exactly(value, as: UInt32.self) { return String(number) }
    if let number = exactly(value, as: UInt16.self) { return String(number) }
    if let number = exactly(value, as: UInt8.self) { return String(number) }
    return nil
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).setScalar(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try store(value, in: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(forKey: key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.child(forKey: key.stringValue)
        child.makeArray()
        return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.child(forKey: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array = node.kind { return node.elements.count }
        return 0
    }

    mutating func encodeNil() throws { node.appendChild().setScalar(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = IndexKey(count)
        try store(value, in: node.appendChild(), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = IndexKey(count)
        let child = node.appendChild()
        child.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = IndexKey(count)
        let child = node.appendChild()
        child.makeArray()
        return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.appendChild(), codingPath: codingPath)
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: EncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.setScalar(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try store(value, in: node, codingPath: codingPath)
    }
}
