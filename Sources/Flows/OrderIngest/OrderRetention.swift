import BusSchema

/// Time in order-ingest: each finished order's record is forgotten `retention` days after its
/// last event, an order waiting for its payment is cancelled `days_before_cancel` days after it
/// began to wait, and, in batched mode, the release queue wakes the partition at its first due
/// release, so a quiet partition no longer waits for its next input.
extension OrderIngest {
    /// An order's record: its payment deadline while it waits for one, its expiry once
    /// finished. The release queue: its first due time.
    public func wakeTime(key: String, value: OrderIngestState) -> Instant? {
        switch value {
        case .order(let record): record.paymentDeadline(daysBeforeCancel: rules.daysBeforeCancel) ?? record.expiry(rules.retention)
        case .releaseQueue(let queue): queue.entries.map(\.releaseAt).min()
        case .tableWaits, .accountExposure: nil
        case .priceQuery(let query): query.wakeTime
        case .priceCache(let cache): cache.nextExpiry
        }
    }

    /// Price queries and the price cache run on the wall clock: the asker waits in real time.
    public func timerClock(key: String, value: OrderIngestState) -> TimerClock {
        switch value {
        case .priceQuery, .priceCache: .wall
        case .order, .releaseQueue, .tableWaits, .accountExposure: .partition
        }
    }

    /// Cancels an order whose payment did not come in time (the site is told), forgets a
    /// finished order whose retention ran out (its key's tombstone goes to the changelog), or
    /// releases the orders due at the timer's moment.
    public func wake(_ timer: FlowTimer, state: inout FlowState<OrderIngestState>, tables: any TableLookup) throws -> [FlowOutput] {
        switch state[timer.key] {
        case .order(let record)?:
            if let deadline = record.paymentDeadline(daysBeforeCancel: rules.daysBeforeCancel), deadline <= timer.due {
                var handling = OrderHandling(flow: self, cause: timer.envelope(worker: name), key: timer.key, tables: tables, state: state)
                if record.stage == .sent {
                    handling.timeOutUnpaidChanges(record, OrderNumber(rawValue: timer.key))
                } else {
                    handling.cancelUnpaid(OrderNumber(rawValue: timer.key), record)
                }
                state = handling.state
                return handling.outputs.list
            }
            state.forgetIfExpired(timer) { wakeTime(key: timer.key, value: $0) }
            if state[timer.key] == nil, record.onAccount != nil {
                // A forgotten order owes nothing the bus still counts (retention counts from its last invoice or payment).
                var handling = OrderHandling(flow: self, cause: timer.envelope(worker: name), key: timer.key, tables: tables, state: state)
                handling.exposure.set(OrderNumber(rawValue: timer.key), owing: nil)
                handling.outputs.forgetExposure(of: OrderNumber(rawValue: timer.key))
                state = handling.state
                return handling.outputs.list
            }
            return []
        case .releaseQueue?:
            var handling = OrderHandling(flow: self, cause: timer.envelope(worker: name), key: timer.key, tables: tables, state: state)
            try handling.releaseDue()
            state = handling.state
            return handling.outputs.list
        case .priceQuery(let query)?:
            return try wakePriceQuery(timer, query, state: &state, tables: tables)
        case .priceCache(let cache)?:
            wakePriceCache(timer, cache, state: &state)
            return []
        case .tableWaits?, .accountExposure?, nil:
            return []
        }
    }
}

extension OrderRecord {
    /// Whether the business is done with the order: delivered, cancelled or fully returned in
    /// the ERP, cancelled or refused before it, or never placed (a payment whose order never
    /// came). Held orders and orders waiting for payment or release wait for a person or an
    /// event, and are kept.
    public var isFinished: Bool {
        switch stage {
        case .cancelled, .refused, .notPlaced: return true
        case .held, .awaitingPayment, .scheduled: return false
        case .sent:
            if erpStatus == .delivered || erpStatus == .cancelled { return true }
            return isFullyReturned
        }
    }

    /// Every shipped line was returned in full (and something was shipped).
    var isFullyReturned: Bool {
        guard !shipped.isEmpty else { return false }
        return shipped.allSatisfy { line, quantity in (returned[line].map { $0 >= quantity }) ?? false }
    }

    /// When an order waiting for its payment is cancelled, or the changes of an order in the
    /// ERP waiting for the payment of their increase are refused: `days` after it or they began
    /// to wait (nil when nothing waits, or `days` is 0).
    public func paymentDeadline(daysBeforeCancel days: Int) -> Instant? {
        guard days > 0 else { return nil }
        if stage == .awaitingPayment, let awaitingSince { return awaitingSince.adding(days: days) }
        if stage == .sent, !(unpaidChanges ?? []).isEmpty, let unpaidSince { return unpaidSince.adding(days: days) }
        return nil
    }

    /// When the record is forgotten: `retention` after its last event, once finished; a
    /// record of ERP statuses only (`knowsOnlyTheERPStatus`) a day after its last, whatever
    /// the retention.
    public func expiry(_ retention: Retention) -> Instant? {
        guard isFinished, let lastEventAt else { return nil }
        if knowsOnlyTheERPStatus { return lastEventAt.adding(days: Self.statusOnlyKeptDays) }
        return retention.expiry(after: lastEventAt)
    }

    /// How long a record of ERP statuses only is kept: it waits for its order read again in a
    /// replay across topics (`OrderHandling.track`), which comes within minutes of input time;
    /// an order the ERP entered itself never comes, and must not stay for ever.
    public static let statusOnlyKeptDays = 1

    /// Nothing placed, nothing paid, only the ERP's statuses.
    public var knowsOnlyTheERPStatus: Bool { placed == nil && payments.isEmpty && statusSequence > 0 }
}

extension OrderHandling {
    /// Cancels an order whose payment did not come within `days_before_cancel`: it never
    /// reaches the ERP, and the site is told why. Its retention counts from now.
    mutating func cancelUnpaid(_ number: OrderNumber, _ record: OrderRecord) {
        var record = record
        record.stage = .cancelled
        record.releaseAt = nil
        record.lastEventAt = now
        releaseQueue.remove(number)
        outputs.acceptance(.cancelled, reasons: [AcceptanceReason(
            code: .paymentTimeout, message: "the payment did not come within \(rules.daysBeforeCancel) days: the order is cancelled")], order: number)
        save(record, number)
    }

    /// Refuses the changes of an order in the ERP whose increase was not paid within
    /// `days_before_cancel`: the order stands as the ERP has it, and the site is told.
    mutating func timeOutUnpaidChanges(_ record: OrderRecord, _ number: OrderNumber) {
        var record = record
        record.lastEventAt = now
        dropUnpaidChanges(&record, number, why: "the payment of the increase did not come within \(rules.daysBeforeCancel) days: the order stands as the ERP has it",
                          reasonCode: AcceptanceReasonCode.paymentTimeout.rawValue)
        save(record, number)
    }

    /// The order's last event is now (an older input redelivered changes nothing).
    mutating func noteEvent(on key: String?) {
        guard let key, case .order(var record)? = state[key] else { return }
        let latest = max(record.lastEventAt ?? now, now)
        guard record.lastEventAt != latest else { return }
        record.lastEventAt = latest
        state[key] = .order(record)
    }

    /// A placement of an order the state does not hold, placed longer ago than retention less
    /// margin before the partition's clock, may be a finished order forgotten and sent again:
    /// it becomes an exception (`forgotten_order`), never a second ERP order. Returns whether
    /// it was refused so.
    mutating func refuseIfForgotten(_ order: SiteOrder) -> Bool {
        let number = order.orderNumber
        guard record(number) == nil else { return false }
        let clock = max(state.clock ?? now, now)
        guard rules.retention.mayHaveForgotten(since: order.placedAt, at: clock, marginDays: rules.forgottenMarginDays) else { return false }
        outputs.exception(
            .other,
            "order \(number) was placed at \(order.placedAt), about as long ago as order-ingest keeps finished orders (\(rules.retention), less \(rules.forgottenMarginDays) days of margin): "
                + "it may be a finished order sent again, so it does not go to the ERP; if it is a new order, enter it by hand",
            details: ["reason_code": "forgotten_order", "order_number": number.rawValue, "placed_at": order.placedAt.description], order: number)
        return true
    }

    /// A change, cancellation or return about an order the state does not hold, while
    /// finished orders are forgotten: it may be about one retention forgot, so it becomes an
    /// exception (`forgotten_order`) for customer service, never a dead letter nor an ERP
    /// request. With retention for ever nothing is forgotten, and the request is bad input
    /// (`placedRecord` refuses it). Returns whether it was answered so.
    mutating func refuseIfForgotten(_ number: OrderNumber, request: String) -> Bool {
        guard record(number)?.placed == nil, rules.retention.forgets else { return false }
        outputs.exception(
            .other,
            "request \(request) is about order \(number), which order-ingest does not hold: finished orders are forgotten \(rules.retention) after their last event, "
                + "so it may be about one that was; nothing is sent to the ERP: answer the customer from the ERP's records",
            details: ["reason_code": "forgotten_order", "order_number": number.rawValue, "request_id": request], order: number)
        return true
    }
}
