import BusSchema

/// How shipping is taxed on a cart whose goods are at several VAT rates.
///
/// In the EU (and in France, BOFiP TVA-BASE-10-10-10), shipping is an accessory of the goods
/// and follows their rate; on a mixed cart it is either prorated over the goods' rates or, when
/// the merchant's tax office accepts it, taxed at the main rate. The site's own `vat_rate` on a
/// shipping line is used only when there are no goods to follow (a cart of gift cards).
public enum ShippingVAT: String, Sendable, Equatable, Decodable {
    /// Split over the goods' rates in proportion to the goods including tax at each rate.
    case prorated
    /// All at the rate of the largest share of the goods including tax (ties: the higher rate).
    case mainRate = "main_rate"

    /// `amount` (including tax) in parts per rate, adding up to it exactly; `goods` are the
    /// goods including tax per rate, `fallback` the rate when there are none.
    public func split(_ amount: Money, goods: [Rate: Money], fallback: Rate) -> [(rate: Rate, amount: Money)] {
        let weighted = goods.filter { $0.value.amount > 0 }
        guard !weighted.isEmpty else { return amount.amount == 0 ? [] : [(fallback, amount)] }
        switch self {
        case .prorated:
            return VoucherSplit.split(amount, over: weighted)
        case .mainRate:
            let main = weighted.max { ($0.value.amount, $0.key) < ($1.value.amount, $1.key) }?.key ?? fallback
            return amount.amount == 0 ? [] : [(main, amount)]
        }
    }
}
