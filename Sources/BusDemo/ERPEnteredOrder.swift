import BusSchema

/// An order sales administration enters in the ERP for a web customer (a phone order, #17):
/// no site order introduces it, the ERP's statuses name the ordering account, and
/// status-notifier finds the site customer through the identity link, so the order appears in
/// that customer's history on the site and the customer is told of each step.
struct ERPEnteredOrder: Sendable {
    let number: OrderNumber
    let account: ERPAccountCode
    /// The web customer linked to `account`: whose history must show it.
    let customer: SiteAccountID
    let sku: SKU
    /// The ERP's steps, each at its time of the day.
    let steps: [(status: OrderStatus, at: Instant)]

    /// For the first private customer the site matched by e-mail to an existing ERP account
    /// (linked at opening), with one unit of `sku`: validated at 14:00, shipped at 16:00,
    /// delivered at 18:00.
    static func choose(customers: DemoCustomers, sku: SKU?, clock: DayClock, run: RunTag) throws -> ERPEnteredOrder? {
        guard let sku, let signUp = customers.signUps.first(where: { if case .matched(_, contact: nil) = $0.expected { true } else { false } }),
              case .matched(let account, _) = signUp.expected else { return nil }
        return ERPEnteredOrder(number: OrderNumber(run.tagged("CV-2025-000777")), account: account, customer: signUp.account.siteAccountID, sku: sku,
                               steps: [(.validated, try clock.at(hour: 14)), (.shipped, try clock.at(hour: 16)), (.delivered, try clock.at(hour: 18))])
    }

    /// The ERP's status of step `index` (its sequence is `index + 1`), with what it had then:
    /// the acknowledgement from the start, the parcel once shipped.
    func status(_ index: Int) -> ERPOrderStatus {
        let (status, at) = steps[index]
        let shippedAt = steps.first { $0.status == .shipped }?.at ?? at
        let parcel = Shipment(shipmentID: EventID("SHP-\(number.rawValue)-1"), carrier: "colissimo", trackingNumber: "6A7771",
                              trackingURL: "https://tracking.example.com/colissimo/6A7771", shippedAt: shippedAt,
                              lines: [OrderLineQuantity(lineNumber: 1, sku: sku, quantity: DemoValues.quantity(1))])
        return ERPOrderStatus(orderNumber: number, erpOrderReference: Code("SO-777"), status: status, sequence: index + 1, statusAt: at,
                              shipments: status == .validated ? [] : [parcel], problems: [],
                              documents: [OrderDocument(kind: .acknowledgement, number: "SO-777", issuedAt: steps[0].at)], accountCode: account)
    }
}
