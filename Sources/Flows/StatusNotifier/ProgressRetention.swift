import BusSchema

/// Timers in status-notifier: the wait for the site order (`SiteOrderWait`) and retention.
///
/// Retention: an order's progress is forgotten `retention` days after its
/// last event once the order is delivered or cancelled; a late status or invoice for an order
/// no longer held, dated before the retention, is an exception, and notifies no one again.
extension StatusNotifier {
    /// The earlier of the end of the wait for the site order (`SiteOrderWait`) and a delivered
    /// or cancelled order's expiry.
    public func wakeTime(key: String, value: OrderProgress) -> Instant? {
        [value.waitDeadline(minutes: rules.siteOrderWaitMinutes), value.expiry(rules.retention)].compactMap { $0 }.min()
    }

    /// Sends what waited for the site order when the wait ran out, then forgets the progress
    /// when the order is still finished and its retention ran out.
    public func wake(_ timer: FlowTimer, state: inout FlowState<OrderProgress>, tables: any TableLookup) throws -> [FlowOutput] {
        var outputs: [FlowOutput] = []
        if var progress = state[timer.key], let deadline = progress.waitDeadline(minutes: rules.siteOrderWaitMinutes), deadline <= timer.due {
            outputs = waitRanOut(&progress, order: OrderNumber(timer.key), at: timer.due, tables: tables)
            state[timer.key] = progress
        }
        state.forgetIfExpired(timer) { $0.expiry(rules.retention) }
        return outputs
    }

    /// The exception for an input about an order not held, dated longer ago than the retention
    /// (and its margin) before the partition's clock: perhaps a forgotten order.
    func forgottenException(_ input: FlowInput, order: OrderNumber, known: Bool, clock: Instant?) -> FlowOutput? {
        guard !known else { return nil }
        let dated: Instant
        switch input.message {
        case let status as ERPOrderStatus: dated = status.statusAt
        case let invoice as ERPInvoice: dated = invoice.issuedAt
        case let siteOrder as SiteOrder: dated = siteOrder.placedAt
        default: return nil
        }
        let now = max(clock ?? input.envelope.time, input.envelope.time)
        guard rules.retention.mayHaveForgotten(since: dated, at: now, marginDays: Retention.defaultMarginDays) else { return nil }
        let exception = BusinessException(
            exceptionID: EventID.fromFacts("exc", [order.rawValue, "forgotten", input.envelope.id]), kind: .other,
            entity: EntityReference(kind: .order, key: order.rawValue), worker: .statusNotifier,
            reason: "An update about an order that status-notifier no longer holds, dated before its retention: the order may be finished and forgotten, so the customer is not notified again.",
            details: ["order_number": order.rawValue, "reason_code": "forgotten_order", "dated": dated.description],
            causeEventID: input.envelope.id, raisedAt: input.envelope.time)
        return FlowOutput(topic: Topics.exceptions, key: order.rawValue, message: exception)
    }
}

extension OrderProgress {
    /// Whether the order is delivered or cancelled: nothing more will be shown or notified.
    public var isFinished: Bool { status == .delivered || status == .cancelled }

    /// When the progress is forgotten: `retention` after its last event, once finished.
    public func expiry(_ retention: Retention) -> Instant? {
        guard isFinished, let lastEventAt else { return nil }
        return retention.expiry(after: lastEventAt)
    }
}
