import BusSchema

/// A return asking for an exchange (#17): the customer sends back one unit of the first line
/// and takes one unit of another article instead (`OrderFate.exchanged`). order-ingest passes
/// it to the ERP with the return, as a new order line at no charge linked to it; nothing is
/// refunded, and the site's order page shows the return's status as the ERP reports it.
extension SiteSimulator {
    func exchangeGoods(_ number: OrderNumber, for sku: SKU, at time: Instant) throws {
        guard let line = orders[number]?.current.lines.first else { return }
        let request = ReturnRequest(
            returnNumber: ReturnNumber("RMA-\(number.serial)-1"), orderNumber: number, requestedAt: time,
            lines: [ReturnLine(lineNumber: line.lineNumber, sku: line.sku, quantity: DemoValues.quantity(1), reason: .noLongerNeeded)],
            refundMethod: .originalPayment,
            exchange: [ExchangeLine(returnedLineNumber: line.lineNumber, sku: sku, quantity: DemoValues.quantity(1))])
        publisher.publish(request, topic: Topics.shopOrders, key: number.rawValue, source: Self.checkoutSource, time: time, name: "site/return/\(number)")
        orders[number]?.sent.insert("return")
    }
}
