import BusSchema

/// A new customer who signs up during the day and places a first order a second later
/// (#17): the order reaches order-ingest before customer-sync has had the ERP create and link
/// the account, so it is held `unknown_customer` and must be judged again, with no manual
/// step and no re-send, when the identity link arrives.
struct FirstOrder: Sendable, Equatable {
    let account: SiteAccountID
    /// When the site publishes the sign-up: a second before the order.
    let signedUpAt: Instant
    let order: OrderNumber

    /// Up to `count` private customers new to the ERP (`createdInERP`), none of `excluded`
    /// (accounts other events of the day edit), each for the first order they place; the
    /// earliest such orders of the day.
    static func choose(_ count: Int, customers: DemoCustomers, orders: [OrderPlan], excluded: Set<SiteAccountID>, clock: DayClock) throws -> [FirstOrder] {
        let newcomers = Set(customers.signUps.filter { $0.expected == .createdInERP && !$0.isBusiness }.map(\.account.siteAccountID)).subtracting(excluded)
        var seen: Set<SiteAccountID> = []
        var chosen: [FirstOrder] = []
        for order in orders.sorted(by: { $0.placedAt < $1.placedAt }) {
            guard let account = order.buyer.siteAccountID, seen.insert(account).inserted else { continue }
            guard chosen.count < count, newcomers.contains(account), order.isValid, order.accountCase == nil else { continue }
            chosen.append(FirstOrder(account: account, signedUpAt: try clock.adding(-1, to: order.placedAt), order: order.number))
        }
        return chosen
    }
}
