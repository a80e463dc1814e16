import Foundation

/// A message of the bus's public contract: one event or request, as a value.
///
/// Conforming types are `struct`s with explicit snake_case coding keys. Their `schema` is
/// the one description of their JSON shape; `validate()` adds the rules a shape cannot say
/// (totals that add up, fields that go together). `MessageCodec` runs both on every decode.
public protocol BusMessage: Codable, Sendable, Equatable {
    /// The CloudEvents `type` of this message, e.g. "erp.customer-account".
    static var messageType: String { get }
    /// The schema version; a change that would break readers gets a new version.
    static var schemaVersion: Int { get }
    /// The JSON shape, from which validation and the JSON Schema export are derived.
    static var schema: SchemaNode { get }
    /// One or two sentences for people: what the message means and who sends it.
    static var summary: String { get }
    /// Semantic problems beyond the shape, each with a JSON path; empty when none.
    func validate() -> [ValidationProblem]
    /// The field whose value is the record key (`$.order_number` for an order), or nil when
    /// no field of the message is its key. The runtime checks it on every input, for every
    /// flow (`MessageKeys.swift` declares it for each type).
    static var keyField: MessageKey<Self>? { get }
}

extension BusMessage {
    /// No semantic rules beyond the shape.
    public func validate() -> [ValidationProblem] { [] }

    /// No field is the record key.
    public static var keyField: MessageKey<Self>? { nil }

    /// The key field's JSON path and this message's value of it, when the type declares one.
    public var keyFieldValue: (path: String, value: String)? {
        Self.keyField.map { ($0.path, $0.value(self)) }
    }

    /// The type name and version of this message type.
    public static var schemaReference: SchemaReference {
        SchemaReference(messageType: messageType, version: schemaVersion)
    }
}

/// A message type name and a schema version, with the forms used on the wire and on disk.
public struct SchemaReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The message type, e.g. "shop.order".
    public var messageType: String
    /// The schema version, from 1.
    public var version: Int

    /// A reference.
    public init(messageType: String, version: Int) {
        self.messageType = messageType
        self.version = version
    }

    /// The start of every bus schema URN.
    public static let uriPrefix = "urn:commerce-bus:schema:"

    /// The `ce_dataschema` value and JSON Schema `$id`: "urn:commerce-bus:schema:shop.order.v1".
    public var uri: String { Self.uriPrefix + messageType + ".v\(version)" }

    /// The file name under `topics/schemas/` and `topics/examples/`: "shop.order.v1.json".
    public var fileName: String { messageType + ".v\(version).json" }

    /// Reads a `ce_dataschema` URI or a file name (with or without ".json"); nil for anything else.
    public init?(uri: String) {
        var text = Substring(uri)
        if text.hasPrefix(Self.uriPrefix) { text = text.dropFirst(Self.uriPrefix.count) }
        if text.hasSuffix(".json") { text = text.dropLast(5) }
        guard let marker = text.range(of: ".v", options: .backwards),
              let version = Int(text[marker.upperBound...]), version > 0,
              !text[..<marker.lowerBound].isEmpty else { return nil }
        self.init(messageType: String(text[..<marker.lowerBound]), version: version)
    }

    /// "shop.order v1".
    public var description: String { "\(messageType) v\(version)" }

    public static func < (lhs: SchemaReference, rhs: SchemaReference) -> Bool {
        (lhs.messageType, lhs.version) < (rhs.messageType, rhs.version)
    }
}
