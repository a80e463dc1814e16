import BusSchema

/// A held order is judged again as soon as what it waits for is published: its customer's
/// link on `bus.customer-identity`, a SKU's entry on `shop.catalog` (see `TableWaits`). A
/// customer who signs up and orders at once is linked a moment after the order arrives; the
/// order then goes on by itself, with no re-send and no person. An account's new credit limit
/// or status reaches every one of its links, and so frees its orders held for them.
/// A partition restored here (a restart, a rebalance) is looked at again: the link may have
/// been published while nobody, or another instance, owned it.
///
/// An invoice of an order on account (`shop.account-invoices`, from payment-letterer) says what
/// that order still owes: the account's open amount follows its lettering. What each order on
/// account owes is published on `bus.account-exposure`, so the credit check of an account
/// counts its orders of every partition; an entry that falls (an invoice paid, an order
/// cancelled, anywhere) judges again the orders of the account held over its credit limit.
extension OrderIngest {
    /// `bus.customer-identity`, `shop.catalog`, `shop.account-invoices` and `bus.account-exposure`.
    public var watchedTables: [String] { [Topics.customerIdentity, Topics.shopCatalog, Topics.shopAccountInvoices, Topics.accountExposure] }

    /// Judges again the partition's held orders waiting for what `record` publishes.
    public func tableChanged(_ record: FlowInput, state: inout FlowState<OrderIngestState>, tables: any TableLookup) throws -> [FlowOutput] {
        if let invoice = record.message as? AccountInvoice {
            var handling = OrderHandling(flow: self, cause: record.envelope, key: nil, tables: tables, state: state)
            try handling.letter(invoice)
            state = handling.state
            return handling.outputs.list
        }
        invalidatePrices(after: record, state: &state)
        guard case .tableWaits(let waits)? = state[TableWaits.stateKey] else { return [] }
        let orders = waits.waiting(for: TableWaits.keys(setBy: record.message))
        guard !orders.isEmpty else { return [] }
        var handling = OrderHandling(flow: self, cause: record.envelope, key: nil, tables: tables, state: state)
        for number in orders { try handling.judgeAgain(number) }
        state = handling.state
        return handling.outputs.list
    }

    /// Judges again every held order of a restored partition that waits for a table: its
    /// customer's link may have come while another instance owned the partition, or just
    /// before a crash; the tables hold it now, and nothing else would bring the order up.
    /// The invoices of its orders on account are lettered again from the table too: one paid
    /// while no instance read the partition would otherwise leave the order owing for ever.
    public func restored(cause: Envelope, state: inout FlowState<OrderIngestState>, tables: any TableLookup) throws -> [FlowOutput] {
        var handling = OrderHandling(flow: self, cause: cause, key: nil, tables: tables, state: state)
        try handling.letterFromTable()
        let waits = handling.tableWaits
        for number in waits.waiting(for: Array(waits.orders.keys)) { try handling.judgeAgain(number) }
        state = handling.state
        return handling.outputs.list
    }
}

extension OrderHandling {
    /// An invoice of an order on account held here: its total and what it leaves open are
    /// recorded on the order, whose open amount the account's exposure follows; the invoice is
    /// the order's latest event, so retention counts from its payment. A payment that lowers
    /// what the account owes judges again, at once, the partition's orders held over its credit
    /// limit (the other partitions' when they read the order's new exposure).
    mutating func letter(_ invoice: AccountInvoice) throws {
        let number = invoice.orderNumber
        guard var record = record(number), var charge = record.onAccount, charge.account == invoice.accountCode,
              invoice.total.currency == charge.amount.currency else { return }
        let figures = AccountCharge.InvoiceFigures(total: invoice.total.amount, open: invoice.open.amount)
        // Known already (read again on a restore, or the same figures re-published): the
        // order's latest event stays what it was.
        guard charge.invoices[invoice.invoiceNumber.rawValue] != figures else { return }
        charge.invoices[invoice.invoiceNumber.rawValue] = figures
        record.onAccount = charge
        record.lastEventAt = max(record.lastEventAt ?? now, now)
        let before = self.record(number)?.owing?.open.amount ?? 0
        save(record, number)
        guard (record.owing?.open.amount ?? 0) < before else { return }
        for held in tableWaits.waiting(for: [TableWaits.account(charge.account)]) { try judgeAgain(held) }
    }

    /// `charge` with the figures of every invoice `shop.account-invoices` shows now for
    /// `order`: an order sent again by a replay (its state behind its outputs after a kill)
    /// may have been invoiced and paid meanwhile, and that table record is not told again.
    func invoicedFromTable(_ charge: AccountCharge, order: OrderNumber) -> AccountCharge {
        var charge = charge
        for key in tables.keys(in: Topics.shopAccountInvoices, group: order.rawValue) {
            guard let invoice = tables.latest(AccountInvoice.self, in: Topics.shopAccountInvoices, key: key),
                  invoice.accountCode == charge.account, invoice.total.currency == charge.amount.currency else { continue }
            charge.invoices[invoice.invoiceNumber.rawValue] = AccountCharge.InvoiceFigures(total: invoice.total.amount, open: invoice.open.amount)
        }
        return charge
    }

    /// Every invoice `shop.account-invoices` shows now for the partition's orders that owe
    /// something, lettered (`letter`): the table's records read before the worker started are
    /// never told to the flow.
    mutating func letterFromTable() throws {
        let owing = exposure.accounts.values.flatMap(\.keys).sorted()
        for number in owing {
            for key in tables.keys(in: Topics.shopAccountInvoices, group: number) {
                if let invoice = tables.latest(AccountInvoice.self, in: Topics.shopAccountInvoices, key: key) { try letter(invoice) }
            }
        }
    }

    /// A held order judged again: on its way when nothing holds it any more, held (for the
    /// reasons left, told only if they changed) otherwise.
    mutating func judgeAgain(_ number: OrderNumber) throws {
        guard var record = record(number), record.stage == .held else { return }
        try advance(&record, number)
        save(record, number)
    }
}
