import BusSchema

/// One call of order-ingest: the input, the partition's state and the outputs being built.
///
/// An order not yet in the ERP moves by `advance`: validated (held with every reason, or on),
/// then its payments checked against the import rules (waiting, refused, or on), then sent at
/// once or, when batched, queued until its release time. Holding again for the same reasons
/// produces nothing, so a redelivery raises no second exception.
struct OrderHandling {
    let flow: OrderIngest
    /// The envelope of what is handled: an input's, or a timer's (`FlowTimer.envelope`).
    let cause: Envelope
    /// The record key of the input, or the timer's state key.
    let key: String?
    let tables: any TableLookup
    var state: FlowState<OrderIngestState>
    var outputs: Outputs

    init(flow: OrderIngest, cause: Envelope, key: String?, tables: any TableLookup, state: FlowState<OrderIngestState>) {
        self.flow = flow
        self.cause = cause
        self.key = key
        self.tables = tables
        self.state = state
        outputs = Outputs(cause: cause, worker: .orderIngest)
    }

    /// The flow's clock: the input's time, or the timer's moment (see `ReleaseSchedule` for
    /// why not the wall clock).
    var now: Instant { cause.time }

    var rules: OrderIngestRules { flow.rules }

    // MARK: State

    func record(_ order: OrderNumber) -> OrderRecord? {
        if case .order(let record)? = state[order.rawValue] { return record }
        return nil
    }

    /// The record of an order that was placed; a request about any other is refused.
    func placedRecord(_ order: OrderNumber) throws -> OrderRecord {
        guard let record = record(order), record.placed != nil else {
            throw FlowRejection(field: "$.order_number", reason: "no order with this number was placed")
        }
        return record
    }

    /// Stores `record` when it differs from what is kept (an unchanged record writes nothing),
    /// and keeps the indexes of what held orders wait for and what orders on account owe in
    /// step with it; a change of what the order owes is published (`bus.account-exposure`).
    mutating func save(_ record: OrderRecord, _ order: OrderNumber) {
        let previous = self.record(order)
        guard previous != record else { return }
        state[order.rawValue] = .order(record)
        if previous?.owing != record.owing {
            var index = exposure
            index.set(order, owing: record.owing)
            exposure = index
            outputs.exposure(of: order, from: previous?.owing, to: record.owing)
        }
        let before = previous.map(TableWaits.keys(of:)) ?? []
        let after = TableWaits.keys(of: record)
        if before != after {
            var waits = tableWaits
            waits.update(order, from: before, to: after)
            tableWaits = waits
        }
    }

    var tableWaits: TableWaits {
        get {
            if case .tableWaits(let waits)? = state[TableWaits.stateKey] { return waits }
            return TableWaits()
        }
        set {
            guard newValue != tableWaits else { return }
            state[TableWaits.stateKey] = newValue.orders.isEmpty ? nil : .tableWaits(newValue)
        }
    }

    var exposure: AccountExposure {
        get {
            if case .accountExposure(let index)? = state[AccountExposure.stateKey] { return index }
            return AccountExposure()
        }
        set {
            guard newValue != exposure else { return }
            state[AccountExposure.stateKey] = newValue.accounts.isEmpty ? nil : .accountExposure(newValue)
        }
    }

    var releaseQueue: ReleaseQueue {
        get {
            if case .releaseQueue(let queue)? = state[ReleaseQueue.stateKey] { return queue }
            return ReleaseQueue()
        }
        set {
            guard newValue != releaseQueue else { return }
            state[ReleaseQueue.stateKey] = newValue.entries.isEmpty ? nil : .releaseQueue(newValue)
        }
    }

    // MARK: Placement

    /// A placement: a first one is taken in and advanced; the same one again creates nothing
    /// new (a held order is judged again: the table may have caught up); a held order sent
    /// again with another content is the site's correction, and replaces the held version
    /// (its changes with it); another content under the number of an order not held is an
    /// exception, and the first order stands.
    mutating func place(_ order: SiteOrder) throws {
        var record = record(order.orderNumber) ?? OrderRecord()
        if let placed = record.placed {
            if record.stage == .held, placed != order, placed != order.anonymised {
                record.placed = order
                record.changes = []
                try advance(&record, order.orderNumber)
                return save(record, order.orderNumber)
            }
            // An erased order holds the placement anonymised: the same placement again is a repeat.
            guard placed == order || placed == order.anonymised else {
                outputs.exception(.other, "order number \(order.orderNumber) was placed again with a different content: the first order stands",
                                  details: ["order_number": order.orderNumber.rawValue], order: order.orderNumber)
                return
            }
            guard record.stage == .held else { return }
        } else {
            record.placed = order
        }
        try advance(&record, order.orderNumber)
        save(record, order.orderNumber)
    }

    /// Moves an order not yet in the ERP as far as its validity, payments and release mode allow.
    mutating func advance(_ record: inout OrderRecord, _ number: OrderNumber) throws {
        guard [.notPlaced, .awaitingPayment, .held, .scheduled].contains(record.stage), let order = try record.current() else { return }
        let salesOrder: ERPSalesOrder
        switch try examine(order, record) {
        case .held(let findings): return hold(&record, number, findings)
        case .ready(let built): salesOrder = built
        }
        switch try clearance(of: order, record) {
        case .neverImported(let method):
            record.stage = .refused
            releaseQueue.remove(number)
            outputs.exception(.other, "orders paid by \(method.rawValue) are never imported by the bus: enter this order in the ERP by hand",
                              details: ["payment_method": method.rawValue], order: number)
        case .waiting:
            if record.stage != .awaitingPayment {
                record.awaitingSince = record.awaitingSince ?? now
                outputs.acceptance(.awaitingPayment, order: number)
            }
            record.stage = .awaitingPayment
            releaseQueue.remove(number)
        case .cleared:
            guard let schedule = rules.schedule else { return try send(&record, salesOrder) }
            guard record.stage != .scheduled else { return }
            let releaseAt = schedule.nextRelease(atOrAfter: now)
            record.stage = .scheduled
            record.releaseAt = releaseAt
            releaseQueue.schedule(number, at: releaseAt)
        }
    }

    /// The ERP sales order `order` becomes (the next revision), or every reason it cannot.
    func examine(_ order: SiteOrder, _ record: OrderRecord) throws -> Examination {
        var findings: [Finding] = []
        var customer = ERPCustomer(account: rules.guestAccount)
        var known: ERPCustomer?
        switch OrderChecks.customer(of: order, identities: tables, rules: rules) {
        case .success(let found): customer = found; known = found
        case .failure(let finding): findings.append(finding)
        }
        findings += OrderChecks.catalogue(of: order, entries: { flow.catalog.entry(selling: $0, in: tables) }, customer: known, rules: rules)
        findings += try OrderChecks.lineArithmetic(of: order)
        findings += OrderChecks.addresses(of: order, rules: rules)
        var terms: Code?
        if let known {
            let onAccount = try AccountCredit.onAccountAmount(of: order, customer: known, rules: rules)
            terms = onAccount == nil ? nil : known.paymentTerms
            let open = exposure.open(known.account, in: order.currency, excluding: order.orderNumber, elsewhere: tables) { self.record($0) != nil }
            findings += AccountCredit.findings(customer: known, onAccount: onAccount, open: open)
        }
        switch try flow.builder.salesOrder(for: order, customer: customer, revision: record.revision + 1, payments: try payments(of: order, record),
                                           paymentTerms: terms) {
        case .built(let salesOrder) where findings.isEmpty || record.releaseOverrides(findings): return .ready(salesOrder)
        case .built: return .held(findings)
        case .held(let found): return .held(findings + found)
        }
    }

    /// Whether the order's payments satisfy the import rule of their methods and, when a
    /// change raised its total beyond the payments listed, whether captures pay the increase.
    /// An account on account pays its on-account methods on the invoice: nothing to wait for.
    func clearance(of order: SiteOrder, _ record: OrderRecord) throws(SchemaError) -> PaymentClearance {
        var waiting = false
        let onInvoice = try isOnAccount(order)
        for payment in order.payments where !(onInvoice && rules.onAccountMethods.contains(payment.method)) {
            let rule = rules.importWhen[payment.method] ?? .whenPaid
            if rule == .never { return .neverImported(payment.method) }
            if !rule.isSatisfied(status: payment.status, amount: payment.amount, captured: record.captured[payment.method.rawValue]) { waiting = true }
        }
        if try unpaidIncrease(of: order, record).amount > 0 { waiting = true }
        return waiting ? .waiting : .cleared
    }

    /// The order's payment summaries for the ERP, marked paid once captured in full on the site;
    /// when a change raised the total beyond them and captures paid the increase, the methods
    /// captured beyond their listed amount carry it, so the summaries add up to the total.
    func payments(of order: SiteOrder, _ record: OrderRecord) throws(SchemaError) -> [PaymentSummary] {
        var shortfall = try order.amountDue().subtracting(Money.sum(order.payments.map(\.amount), in: order.currency)).amount
        var summaries: [PaymentSummary] = []
        for payment in order.payments {
            var summary = payment
            if let captured = record.captured[payment.method.rawValue], captured.currency == payment.amount.currency {
                let extra = min(max(shortfall, 0), max(captured.amount - payment.amount.amount, 0))
                summary.amount = Money(amount: payment.amount.amount + extra, currency: payment.amount.currency)
                shortfall -= extra
                if captured.amount >= summary.amount.amount { summary.status = .paid }
            }
            summaries.append(summary)
        }
        return summaries
    }

    /// Whether the order's customer takes it (in part) on account, as the identity table says now.
    func isOnAccount(_ order: SiteOrder) throws(SchemaError) -> Bool {
        guard case .success(let customer) = OrderChecks.customer(of: order, identities: tables, rules: rules) else { return false }
        return try AccountCredit.onAccountAmount(of: order, customer: customer, rules: rules) != nil
    }

    /// Holds the order for a person: a held status for the site and one exception per reason;
    /// nothing when it is already held for the same reasons. A credit hold whose figures moved
    /// (a payment too small to free it) is the same hold: its figures are kept up to date for
    /// `bus orders show`, and nobody is told again.
    mutating func hold(_ record: inout OrderRecord, _ number: OrderNumber, _ findings: [Finding]) {
        let reasons = findings.map(\.acceptanceReason)
        record.creditHeldFor = findings.first { $0.code == .creditLimitExceeded }?.details["account_code"].map(ERPAccountCode.init(rawValue:))
        if record.stage == .held, Self.sameHold(record.heldReasons, reasons) {
            record.heldReasons = reasons
            return
        }
        record.stage = .held
        record.heldReasons = reasons
        record.releaseAt = nil
        releaseQueue.remove(number)
        outputs.acceptance(.held, reasons: reasons, order: number)
        for finding in findings { outputs.exception(finding, order: number) }
    }

    /// Whether `reasons` hold the order as `held` does: the same reasons, the credit limit's
    /// figures aside.
    static func sameHold(_ held: [AcceptanceReason], _ reasons: [AcceptanceReason]) -> Bool {
        held.count == reasons.count && zip(held, reasons).allSatisfy { old, new in
            old == new || (old.code == .creditLimitExceeded && new.code == .creditLimitExceeded && old.lineNumber == new.lineNumber)
        }
    }

    /// Sends the first revision to the ERP and tells the site it is accepted; until the ERP
    /// answers, the order's quantities are claimed (`bus.stock-claims`). An order whose ERP
    /// status came first (a replay across topics, `track`) is in the ERP already: its claims,
    /// the same records as before the crash, are released at once after them.
    mutating func send(_ record: inout OrderRecord, _ salesOrder: ERPSalesOrder) throws(SchemaError) {
        record.stage = .sent
        record.revision = salesOrder.revision
        record.soldTo = salesOrder.soldTo
        record.onAccount = AccountCredit.charge(of: salesOrder, rules: rules, keeping: record.onAccount).map { invoicedFromTable($0, order: salesOrder.externalReference) }
        record.heldReasons = []
        record.creditHeldFor = nil
        record.releaseAt = nil
        outputs.toERP(salesOrder, order: salesOrder.externalReference)
        outputs.acceptance(.accepted, order: salesOrder.externalReference)
        let lines = salesOrder.lines.map { ($0.sku, $0.quantity) }
        try outputs.claims(lines, order: salesOrder.externalReference, release: false)
        if record.statusSequence > 0 { try outputs.claims(lines, order: salesOrder.externalReference, release: true) }
    }

    // MARK: Batched release

    /// Batched: sends (or holds, if they no longer pass) the partition's orders due now.
    mutating func releaseDue() throws {
        guard rules.schedule != nil else { return }
        var queue = releaseQueue
        let due = queue.takeDue(at: now)
        guard !due.isEmpty else { return }
        releaseQueue = queue
        for number in due {
            guard var record = record(number), record.stage == .scheduled, let order = try record.current() else { continue }
            switch try examine(order, record) {
            case .ready(let salesOrder): try send(&record, salesOrder)
            case .held(let findings): hold(&record, number, findings)
            }
            save(record, number)
        }
    }
}
