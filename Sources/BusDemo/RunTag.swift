import BusSchema
import Foundation

/// The run id that keeps one run's records apart from every earlier run's on the same
/// cluster: every key and id the simulators make (order numbers, SKUs, account codes, site
/// accounts, e-mails, payment and document numbers, event ids) carries it, so the workers'
/// state from an earlier run never meets this one and the reconciliation reads only its own.
public struct RunTag: Sendable, Equatable, CustomStringConvertible {
    /// 1 to 8 upper-case letters or digits: it fits every identifier's pattern once appended.
    public let id: String

    /// A tag from `id`; nil unless it is 1 to 8 upper-case letters or digits.
    public init?(_ id: String) {
        guard (1...8).contains(id.count), id.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) }) else { return nil }
        self.id = id
    }

    /// A fresh tag of six letters and digits.
    public static func random() -> RunTag {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        // Safe: six characters of the alphabet always make a valid tag.
        return RunTag(String((0..<6).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] }))!
    }

    public var description: String { id }

    /// `base` with the tag appended: "WEB-100001" becomes "WEB-100001-K3Q7PZ".
    func tagged(_ base: String) -> String { "\(base)-\(id)" }

    /// An e-mail whose local part carries the tag (lower case, as addresses are compared).
    func email(_ local: String, domain: String) -> String { "\(local).\(id.lowercased())@\(domain)" }
}

extension OrderNumber {
    /// The order number without the site's prefix ("100001-K3Q7PZ" for "WEB-100001-K3Q7PZ"):
    /// the serial the ERP and the site number their documents for the order with.
    var serial: String {
        rawValue.hasPrefix("WEB-") ? String(rawValue.dropFirst(4)) : rawValue
    }
}
