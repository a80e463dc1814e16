import BusSchema

/// A flow's rules, read from the JSON file named by `BUS_CONFIG`.
///
/// Conformers document their defaults in the flow's README and fall back to them field by field
/// with `KeyedDecodingContainer.decode(_:forKey:default:)` (BusSchema), so a file only lists what it changes.
public protocol FlowRules: Decodable, Sendable {
    /// The rules when no file is given, and the value of every field a file leaves out.
    static var defaults: Self { get }
}
