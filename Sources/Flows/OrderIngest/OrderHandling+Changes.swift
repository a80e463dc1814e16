import BusSchema

/// Changes: lines requantified, repriced, removed or added, within the status rules, and
/// checked again against payments.
///
/// An order in the ERP whose change raises its total beyond what is paid keeps its last
/// revision in the ERP: the change waits (`OrderRecord.unpaidChanges`, the site told the order
/// awaits payment) until captures pay the increase, then goes as one revision; a later change
/// joins those waiting. They are refused with a reason, the site told, when the payment delay
/// runs out, the ERP starts preparing the order, or the order is cancelled.
extension OrderHandling {
    /// A change: taken in at once for an order not yet in the ERP (which is judged again, its
    /// payments with it); for one in the ERP, while its ERP status is before "in preparation",
    /// passed on as the next revision once the order it makes is paid as a new order would
    /// have to be; refused with a reason for the site otherwise.
    mutating func change(_ change: OrderChange) throws {
        let number = change.orderNumber
        var record = try placedRecord(number)
        let known = record.changes + (record.unpaidChanges ?? [])
        guard !known.contains(where: { $0.changeID == change.changeID }), !record.answered.contains(change.changeID.rawValue) else { return }
        guard let order = try record.pending() else { return }
        try Self.checkReferences(change, of: order, usedLineNumbers: record.usedLineNumbers)
        try Self.checkTotals(of: order.applying(change), after: change)

        switch record.stage {
        case .notPlaced, .awaitingPayment, .held, .scheduled:
            record.changes.append(change)
            try advance(&record, number)
        case .cancelled, .refused:
            record.answered.append(change.changeID.rawValue)
            refuse(change.changeID, "the order will not reach the ERP (\(record.stage.rawValue))", order: number)
        case .sent:
            if let status = record.erpStatus, status != .validated {
                record.answered.append(change.changeID.rawValue)
                refuse(change.changeID, "the order is \(status.rawValue.replacingOccurrences(of: "_", with: " ")) in the ERP", order: number)
                break
            }
            var changed = record
            changed.unpaidChanges = (record.unpaidChanges ?? []) + [change]
            try passOn(changed, to: &record, number, newest: change)
        }
        save(record, number)
    }

    /// Sends the ERP the revision that `changed`'s unpaid changes make, when that order passes
    /// and its payments clear it; keeps them waiting (the site told once) while the increase is
    /// not paid. `newest` is the change just received: when the order it makes cannot go, it is
    /// refused alone and those before it wait on; without one (a payment came), every waiting
    /// change is refused.
    mutating func passOn(_ changed: OrderRecord, to record: inout OrderRecord, _ number: OrderNumber, newest: OrderChange?) throws {
        let unpaid = changed.unpaidChanges ?? []
        guard !unpaid.isEmpty, let order = try changed.pending() else { return }
        let refused = newest.map { [$0] } ?? unpaid
        switch try examine(order, changed) {
        case .held(let findings):
            for change in refused {
                record.answered.append(change.changeID.rawValue)
                for finding in findings {
                    outputs.exception(finding.kind, "change \(change.changeID) not passed on: \(finding.message)",
                                      details: finding.details.merging(["request_id": change.changeID.rawValue]) { first, _ in first }, order: number)
                }
            }
            if newest == nil { dropUnpaidChanges(&record, number, refusing: false) }
        case .ready(let salesOrder):
            switch try clearance(of: order, changed) {
            case .cleared:
                let waited = changed.unpaidSince != nil
                record = changed
                record.changes += unpaid
                record.unpaidChanges = nil
                record.unpaidSince = nil
                record.revision = salesOrder.revision
                record.onAccount = AccountCredit.charge(of: salesOrder, rules: rules, keeping: record.onAccount)
                outputs.toERP(salesOrder, order: number)
                if waited { outputs.acceptance(.accepted, order: number) }
            case .waiting:
                record = changed
                if record.unpaidSince == nil {
                    record.unpaidSince = now
                    outputs.acceptance(.awaitingPayment, order: number)
                }
            case .neverImported(let method):
                for change in refused {
                    record.answered.append(change.changeID.rawValue)
                    refuse(change.changeID, "orders paid by \(method.rawValue) are never imported by the bus", order: number)
                }
                if newest == nil { dropUnpaidChanges(&record, number, refusing: false) }
            }
        }
    }

    /// A payment for an order in the ERP with changes waiting: they go once it pays them.
    mutating func passOnPaidChanges(_ record: inout OrderRecord, _ number: OrderNumber) throws {
        guard record.stage == .sent, !(record.unpaidChanges ?? []).isEmpty else { return }
        try passOn(record, to: &record, number, newest: nil)
    }

    /// Gives up the changes waiting for payment: each refused with `why` (when `refusing`), and
    /// the site told the order stands as the ERP has it (unless `tellingSite` is false: the
    /// order is being cancelled).
    mutating func dropUnpaidChanges(_ record: inout OrderRecord, _ number: OrderNumber, refusing: Bool = true,
                                    why: String = "", reasonCode: String? = nil, tellingSite: Bool = true) {
        let unpaid = record.unpaidChanges ?? []
        guard !unpaid.isEmpty else { return }
        for change in unpaid {
            record.answered.append(change.changeID.rawValue)
            guard refusing else { continue }
            outputs.exception(.other, "request \(change.changeID) refused: \(why)",
                              details: ["request_id": change.changeID.rawValue].merging(reasonCode.map { ["reason_code": $0] } ?? [:]) { first, _ in first },
                              order: number)
        }
        record.unpaidChanges = nil
        let waited = record.unpaidSince != nil
        record.unpaidSince = nil
        if waited, tellingSite, record.erpStatus != .cancelled { outputs.acceptance(.accepted, order: number) }
    }

    /// Refuses a change whose lines are not the order's, or whose new lines reuse a number:
    /// bad input, not a person's decision.
    static func checkReferences(_ change: OrderChange, of order: SiteOrder, usedLineNumbers: Set<Int>) throws {
        try checkLines(change.lineChanges.map { ($0.lineNumber, $0.sku) }, at: "line_changes", of: order)
        for (index, line) in (change.addedLines ?? []).enumerated() where usedLineNumbers.contains(line.lineNumber) {
            throw FlowRejection(field: "$.added_lines[\(index)].line_number", reason: "the order has or had a line with this number: a new line takes a new number")
        }
        let removed = Set(change.lineChanges.filter { $0.quantity.value.isZero }.map(\.lineNumber))
        if !removed.isEmpty, (change.addedLines ?? []).isEmpty, order.lines.allSatisfy({ removed.contains($0.lineNumber) }) {
            throw FlowRejection(field: "$.line_changes", reason: "a change may not remove every line: cancel the order instead")
        }
        if let totals = change.totals, totals.totalInclTax.currency != order.currency {
            throw FlowRejection(field: "$.totals.total_incl_tax.currency", reason: "the totals must be in the order's currency")
        }
    }

    /// Refuses a change whose totals are not those of the order it makes: its lines, the
    /// order's shipping and vouchers (the site's total prevails, so it must be the order's).
    static func checkTotals(of order: SiteOrder, after change: OrderChange) throws {
        guard let totals = change.totals else { return }
        let currency = order.currency
        let lines = try Money.sum(order.lines.map(\.totalInclTax), in: currency)
        guard totals.linesInclTax == lines else {
            throw FlowRejection(field: "$.totals.lines_incl_tax", reason: "must equal the sum of the order's lines after the change (\(lines))")
        }
        let shipping = try Money.sum(order.shippingLines.map(\.amountInclTax), in: currency)
        guard totals.shippingInclTax == shipping else {
            throw FlowRejection(field: "$.totals.shipping_incl_tax", reason: "must equal the order's shipping (\(shipping)): a change does not change shipping")
        }
        let vouchers = try Money.sum(order.vouchers.map(\.amountInclTax), in: currency)
        guard totals.vouchersInclTax == vouchers else {
            throw FlowRejection(field: "$.totals.vouchers_incl_tax", reason: "must equal the order's vouchers (\(vouchers)): a change does not change vouchers")
        }
    }

    /// What of `order`'s total neither the payments the site listed nor the captures pay: zero
    /// unless a change raised the total beyond the listed payments. Per method, what is paid is
    /// the larger of its captures and its payments listed as paid (the same money, told twice).
    func unpaidIncrease(of order: SiteOrder, _ record: OrderRecord) throws(SchemaError) -> Money {
        let currency = order.currency
        let due = try order.amountDue()
        let listed = try Money.sum(order.payments.map(\.amount), in: currency)
        guard due.amount > listed.amount else { return .zero(currency) }
        var paid = Money.zero(currency)
        let methods = Set(order.payments.map(\.method.rawValue)).union(record.captured.keys)
        for method in methods.sorted() {
            let listedPaid = try Money.sum(order.payments.filter { $0.method.rawValue == method && $0.status == .paid }.map(\.amount), in: currency)
            let captured = record.captured[method].flatMap { $0.currency == currency ? $0 : nil } ?? .zero(currency)
            paid = try paid.adding(captured.amount > listedPaid.amount ? captured : listedPaid)
        }
        return due.amount > paid.amount ? try due.subtracting(paid) : .zero(currency)
    }
}

extension OrderRecord {
    /// Every line number the order has or had (placed, added, the changes waiting), so a new
    /// line never takes the number of a removed one, whose shipments and cancellations are
    /// counted by number.
    var usedLineNumbers: Set<Int> {
        var numbers = Set(placed?.lines.map(\.lineNumber) ?? [])
        for change in changes + (unpaidChanges ?? []) {
            numbers.formUnion(change.addedLines?.map(\.lineNumber) ?? [])
        }
        return numbers
    }
}
