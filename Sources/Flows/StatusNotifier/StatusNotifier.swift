import BusSchema

/// status-notifier: ERP order statuses and invoices to the site's order page and to customers.
///
/// Reads `erp.order-status`, `erp.invoices`, `shop.orders` (the order's language and site
/// account) and `bus.order-acceptance` (order-ingest's decisions), co-partitioned by order
/// number, and `shop.customers` as a table (the customer's language); keeps one `OrderProgress`
/// per order. The only writer of `shop.order-tracking`: order-ingest's decision is shown until
/// the ERP's first status, then each change of what the order page shows sends one
/// `TrackingUpdate`, so the page never goes back. Each transition the rules list sends one
/// `CustomerNotification` on `shop.notifications`, at most once per order and transition,
/// held until the site order is read (`SiteOrderWait`).
///
/// Idempotent under redelivery: an older or repeated status, a known invoice or site order
/// change nothing and send nothing. Notification ids come from the order and the transition,
/// so the mailer can drop a repeat whichever input produced it.
public struct StatusNotifier: Flow {
    /// Per order number: what the site and the customer were told.
    public typealias State = OrderProgress

    /// "status-notifier".
    public let name = WorkerName.statusNotifier.rawValue
    /// `erp.order-status`, `erp.invoices`, `shop.orders`, `erp.lettering` (store credit and
    /// gift cards issued, with their codes) and `bus.order-acceptance` (order-ingest's decisions,
    /// shown on the order's page until the ERP's first status).
    public let inputs = [Topics.erpOrderStatus, Topics.erpInvoices, Topics.shopOrders, Topics.erpLettering, Topics.orderAcceptance]
    /// `shop.customers`: the customer's language; `bus.customer-identity`: the site customer of
    /// an order entered in the ERP; `bus.erasures`: the people to forget.
    public let tables = [Topics.shopCustomers, Topics.customerIdentity, Topics.erasures]
    /// The rules this instance applies.
    public let rules: StatusNotifierRules

    /// A flow applying `rules`.
    public init(rules: StatusNotifierRules = .defaults) {
        self.rules = rules
    }

    /// Takes in one ERP status, invoice, credit note, store credit or gift card issued, or site
    /// order; returns the tracking update when the order page changed, then the notifications,
    /// in transition order. Other messages of these topics (order changes, cancellation and
    /// return requests, lettering entries, offsets, refund proposals) produce nothing. The runtime has checked that the order number is the record key.
    public func handle(_ input: FlowInput, state: inout FlowState<OrderProgress>, tables: any TableLookup) throws -> [FlowOutput] {
        // Every message read names its order as its key field, which the runtime checked.
        guard let key = input.message.keyFieldValue?.value else { return [] }
        let order = OrderNumber(key)
        var progress = state[key] ?? OrderProgress()
        let happenings: [Happening]?
        // What waited for the site order (`SiteOrderWait`), sent once it is read.
        var released: [Happening] = []
        switch input.message {
        case let status as ERPOrderStatus:
            Self.findCustomer(of: status, for: &progress, tables: tables)
            happenings = progress.take(status, rules: rules)
            if happenings != nil, let returns = status.returns { progress.take(returns: returns) }
        case let invoice as ERPInvoice:
            happenings = progress.take(invoice, rules: rules)
        case let note as ERPCreditNote:
            happenings = progress.take(note, rules: rules)
        case let credit as StoreCreditIssued:
            happenings = progress.take(credit)
        case let card as GiftCardIssued:
            happenings = progress.take(card)
        case let request as ReturnRequest:
            happenings = progress.take(request)
        case let siteOrder as SiteOrder:
            let first = progress.take(siteOrder)
            Self.forgetErased(&progress, tables: tables)
            released = first ? progress.release() : []
            happenings = first ? [] : nil
        case is OrderAcceptance, is OrderAcceptanceV2, is OrderAcceptanceV1:
            happenings = Self.acceptance(in: input.message).map { progress.take($0) } == true ? [] : nil
        default:
            return []
        }
        if let late = forgottenException(input, order: order, known: state[order.rawValue] != nil, clock: state.clock) { return [late] }
        guard let happenings else { return [] }
        progress.lastEventAt = max(progress.lastEventAt ?? input.envelope.time, input.envelope.time)

        var outputs: [FlowOutput] = []
        if let acceptance = Self.acceptance(in: input.message) {
            outputs.append(FlowOutput(topic: Topics.shopOrderTracking, key: order.rawValue, message: acceptance))
        }
        if let picture = progress.picture(rules: rules), picture != progress.shown, let update = progress.tracking(picture, order: order) {
            progress.shown = picture
            outputs.append(FlowOutput(topic: Topics.shopOrderTracking, key: order.rawValue, message: update))
        }
        let waits = mustWait(progress, tables: tables)
        // What waited goes first once nothing need wait (the customer's language came through
        // the customer table), so notifications keep the order of what they tell.
        var notified = released + (waits ? [] : progress.release())
        for happening in happenings where !progress.handled.contains(happening.key) {
            progress.handled.append(happening.key)
            guard rules.template(for: happening.transition) != nil else { continue }
            if waits {
                progress.hold(happening, since: input.envelope.time)
            } else {
                notified.append(happening)
            }
        }
        outputs += notify(notified, order: order, progress: progress, tables: tables)
        state[order.rawValue] = progress
        return outputs
    }

    /// Answers a resync by sending again what every order page of the partition (or of the
    /// orders asked) was last sent, in order number order.
    public func control(_ request: FlowControl, state: inout FlowState<OrderProgress>, tables: any TableLookup) -> [FlowOutput] {
        switch request {
        case .resync(let keys):
            return state.keys.filter { keys?.contains($0) ?? true }.compactMap { key in
                guard let progress = state[key] else { return nil }
                guard let picture = progress.shown, let update = progress.tracking(picture, order: OrderNumber(key)) else {
                    return progress.acceptance.map { FlowOutput(topic: Topics.shopOrderTracking, key: key, message: $0) }
                }
                return FlowOutput(topic: Topics.shopOrderTracking, key: key, message: update)
            }
        case .erase(let notice):
            Self.erase(notice, state: &state)
            return []
        }
    }

    /// The outputs of the notifications of `happenings`. Each record's id is its notification's
    /// (`FlowOutput.effectID`), not the input's: a notification held for the site order goes
    /// with whichever input comes last, and a replay in another order must give the same id.
    func notify(_ happenings: [Happening], order: OrderNumber, progress: OrderProgress, tables: any TableLookup) -> [FlowOutput] {
        happenings.compactMap { happening in
            guard let notification = notification(happening, order: order, progress: progress, tables: tables) else { return nil }
            return FlowOutput(topic: Topics.shopNotifications, key: order.rawValue, message: notification,
                              effectID: EventID(rawValue: notification.notificationID.rawValue))
        }
    }

    /// The notification of `happening`, when the rules list its transition and a language is known.
    func notification(_ happening: Happening, order: OrderNumber, progress: OrderProgress, tables: any TableLookup) -> CustomerNotification? {
        guard let template = rules.template(for: happening.transition) else { return nil }
        let customer = customerLanguage(progress, tables: tables)
        guard let language = LanguageChoice.pick(customer: customer, order: progress.language, supported: rules.languages, fallback: rules.fallbackLanguage) else {
            return nil
        }
        return CustomerNotification(
            notificationID: EventID.fromFacts("ntf", [order.rawValue, happening.key]), orderNumber: order, siteAccountID: progress.siteAccountID,
            template: template, language: language, channel: rules.channel, parameters: happening.parameters, createdAt: happening.at)
    }
}

extension StatusNotifier {
    /// order-ingest's decision in any version still read (older ones, written before an
    /// upgrade, read as the current one: they name fewer statuses and reasons).
    static func acceptance(in message: any BusMessage) -> OrderAcceptance? {
        message as? OrderAcceptance ?? (message as? OrderAcceptanceV2)?.acceptance ?? (message as? OrderAcceptanceV1)?.acceptance
    }
}
