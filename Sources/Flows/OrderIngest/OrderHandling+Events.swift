import BusSchema

/// What the ERP and the payment provider say about an order.
extension OrderHandling {
    /// A payment captured or refunded on the site: counted once per payment id, per method; an
    /// order waiting for its payment is advanced. A payment may come before its order.
    mutating func pay(_ payment: SitePayment) throws {
        let number = payment.orderNumber
        var record = record(number) ?? OrderRecord()
        guard !record.payments.contains(payment.paymentID) else { return }
        record.payments.append(payment.paymentID)
        let method = payment.method.rawValue
        let before = record.captured[method] ?? .zero(payment.amount.currency)
        record.captured[method] = try payment.kind == .capture ? before.adding(payment.amount) : before.subtracting(payment.amount)
        if record.stage == .awaitingPayment { try advance(&record, number) }
        save(record, number)
    }

    /// An ERP status: the highest sequence wins; it decides whether changes and cancellations
    /// are still passed on, and its shipments what may be returned. Statuses of orders the bus
    /// never received are not its business. The first status of an order sent says the ERP
    /// has it (and reserves its stock): its claims are released.
    mutating func track(_ status: ERPOrderStatus) throws {
        let number = status.orderNumber
        guard var record = record(number), record.placed != nil, status.sequence > record.statusSequence else { return }
        if record.statusSequence == 0, record.stage == .sent, let order = try record.current() {
            try outputs.claims(order.lines.map { ($0.sku, $0.quantity) }, order: number, release: true)
        }
        record.erpStatus = status.status
        record.statusSequence = status.sequence
        var shipped: [Int: Quantity] = [:]
        for line in status.shipments.flatMap(\.lines) { shipped[line.lineNumber] = try (shipped[line.lineNumber] ?? .zero).adding(line.quantity) }
        record.shipped = shipped
        save(record, number)
    }
}
