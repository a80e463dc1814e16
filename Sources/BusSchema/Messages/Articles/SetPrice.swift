/// Which of a price's two amounts, excluding or including tax, an amount is.
public enum PriceBasis: String, Codable, Sendable, Hashable, CaseIterable {
    /// The amount excluding tax.
    case exclTax = "excl_tax"
    /// The amount including tax.
    case inclTax = "incl_tax"
}

/// A unit price as the merchant set it in the ERP: one amount, excluding or including tax.
/// The other amount is always derived from it (see `CatalogMapping`), never the other way.
public struct SetPrice: Sendable, Hashable {
    /// The amount the merchant set.
    public var amount: Money
    /// Whether `amount` excludes or includes tax.
    public var basis: PriceBasis

    /// A price set as `amount` on `basis`.
    public init(_ amount: Money, _ basis: PriceBasis) {
        self.amount = amount
        self.basis = basis
    }

    /// The price from a pair of optional amounts of which exactly one must be given; nil otherwise.
    public init?(exclTax: Money?, inclTax: Money?) {
        switch (exclTax, inclTax) {
        case (let excl?, nil): self.init(excl, .exclTax)
        case (nil, let incl?): self.init(incl, .inclTax)
        default: return nil
        }
    }

    /// Records a problem unless exactly one of the two fields is given: missing when neither,
    /// inconsistent when both (the two would disagree sooner or later, and one must be master).
    static func check(_ check: inout RuleCheck, exclTax: Money?, inclTax: Money?, at path: JSONPath, exclName: String, inclName: String) {
        switch (exclTax, inclTax) {
        case (nil, nil):
            check.expect(false, path.key(exclName), .inconsistent(rule: "give exactly one of \(exclName) and \(inclName); neither is given"))
        case (.some, .some):
            check.expect(false, path.key(inclName), .inconsistent(rule: "give exactly one of \(exclName) and \(inclName), not both: the one given is the price the site shows"))
        default:
            break
        }
    }
}
