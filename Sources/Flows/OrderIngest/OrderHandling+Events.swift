import BusSchema

/// What the ERP and the payment provider say about an order.
extension OrderHandling {
    /// A payment captured or refunded on the site: counted once per payment id, per method; an
    /// order waiting for its payment is advanced, and so are the changes of an order in the ERP
    /// waiting for the payment of their increase. A payment may come before its order.
    mutating func pay(_ payment: SitePayment) throws {
        let number = payment.orderNumber
        var record = record(number) ?? OrderRecord()
        guard !record.payments.contains(payment.paymentID) else { return }
        record.payments.append(payment.paymentID)
        let method = payment.method.rawValue
        let before = record.captured[method] ?? .zero(payment.amount.currency)
        record.captured[method] = try payment.kind == .capture ? before.adding(payment.amount) : before.subtracting(payment.amount)
        if record.stage == .awaitingPayment { try advance(&record, number) }
        try passOnPaidChanges(&record, number)
        save(record, number)
    }

    /// An ERP status: the highest sequence wins; it decides whether changes and cancellations
    /// are still passed on, and its shipments what may be returned. The first status of an
    /// order sent says the ERP has it (and reserves its stock): its claims are released. Once
    /// past "validated", the changes waiting for their payment can no longer go: they are
    /// refused, the site told.
    ///
    /// A status may come before its order: a successor replaying `shop.orders` and
    /// `erp.order-status` after a crash (the order's changelog lost with it, its sales order
    /// and claims delivered) reads the two topics in whatever order its fetches bring them.
    /// The status is kept in a record with nothing placed, so the order, once read again and
    /// sent, knows the ERP has it and releases its claims at once (`send`); dropped, the claims
    /// would stay open for ever. An order the ERP entered itself leaves such a record too,
    /// forgotten a day after its last status (`OrderRecord.statusOnlyKeptDays`).
    mutating func track(_ status: ERPOrderStatus) throws {
        let number = status.orderNumber
        var record = record(number) ?? OrderRecord()
        guard status.sequence > record.statusSequence else { return }
        if record.statusSequence == 0, record.stage == .sent, let order = try record.current() {
            try outputs.claims(order.lines.map { ($0.sku, $0.quantity) }, order: number, release: true)
        }
        record.erpStatus = status.status
        record.statusSequence = status.sequence
        var shipped: [Int: Quantity] = [:]
        for line in status.shipments.flatMap(\.lines) { shipped[line.lineNumber] = try (shipped[line.lineNumber] ?? .zero).adding(line.quantity) }
        record.shipped = shipped
        guard record.placed != nil else { return save(record, number) }
        if status.status != .validated {
            dropUnpaidChanges(&record, number, why: "the order is \(status.status.rawValue.replacingOccurrences(of: "_", with: " ")) in the ERP before the increase was paid")
        }
        save(record, number)
    }
}
