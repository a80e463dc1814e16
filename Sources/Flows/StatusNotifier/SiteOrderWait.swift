import BusSchema

/// Notifications that wait for the site order. Kafka keeps no order across topics, and a
/// replay after a kill reads `erp.order-status`, `erp.invoices` and `shop.orders` in any
/// order: a notification written before the site order is read would miss the customer's
/// language and account. So a notification for an order whose site order is not read yet, and
/// whose customer's language the customer table does not already give (an order entered in the
/// ERP, found through the identity link), is held in the order's progress; the site order sends
/// what waits, in the customer's language. After `site_order_wait_minutes` of the partition's
/// clock without it, what waits goes out in the language known (else the fallback) with a
/// business exception saying so: nothing is held for ever.
///
/// Replay-stable: a notification's id and content come from the order, the transition and
/// the site order, not from the input that let it go, so every order of arrival within the
/// wait sends the same notifications.
extension StatusNotifier {
    /// Whether a notification of `progress` must wait for the site order.
    func mustWait(_ progress: OrderProgress, tables: any TableLookup) -> Bool {
        guard !progress.orderKnown, rules.siteOrderWaitMinutes > 0 else { return false }
        return customerLanguage(progress, tables: tables) == nil
    }

    /// The language of the order's customer account, when the customer table has one.
    func customerLanguage(_ progress: OrderProgress, tables: any TableLookup) -> LanguageCode? {
        progress.siteAccountID.flatMap { tables.latest(SiteCustomerAccount.self, in: Topics.shopCustomers, key: $0.rawValue)?.language }
    }

    /// The exception and notifications of a wait that ran out: what waited, sent as things
    /// stand (in the fallback language when nothing better is known).
    func waitRanOut(_ progress: inout OrderProgress, order: OrderNumber, at moment: Instant, tables: any TableLookup) -> [FlowOutput] {
        guard let waiting = progress.waiting, let since = progress.waitingSince else { return [] }
        progress.waiting = nil
        progress.waitingSince = nil
        let exception = BusinessException(
            exceptionID: EventID.fromFacts("exc", [order.rawValue, "site_order_missing", since.description]), kind: .other,
            entity: EntityReference(kind: .order, key: order.rawValue), worker: .statusNotifier,
            reason: "The site order was not read within \(rules.siteOrderWaitMinutes) minutes of the ERP's first news of the order: its notifications went out without the customer's language.",
            details: ["order_number": order.rawValue, "reason_code": "site_order_missing", "waiting_since": since.description,
                      "notifications": String(waiting.count)],
            causeEventID: nil, raisedAt: moment)
        return [FlowOutput(topic: Topics.exceptions, key: order.rawValue, message: exception)]
            + notify(waiting, order: order, progress: progress, tables: tables)
    }
}

extension OrderProgress {
    /// Holds `happening` until the site order comes; the wait counts from `since`, the time of
    /// the input that made the first one wait.
    mutating func hold(_ happening: Happening, since: Instant) {
        waiting = (waiting ?? []) + [happening]
        if waitingSince == nil { waitingSince = since }
    }

    /// Takes what waits for the site order (none when nothing waits).
    mutating func release() -> [Happening] {
        defer {
            waiting = nil
            waitingSince = nil
        }
        return waiting ?? []
    }

    /// When what waits goes out without the site order; nil when nothing waits.
    public func waitDeadline(minutes: Int) -> Instant? {
        guard waiting != nil, let waitingSince else { return nil }
        return waitingSince.adding(seconds: Int64(minutes) * 60)
    }
}
