import BusSchema

/// The outputs of one input, in the order the runtime numbers them (their ids derive from the
/// input's id and their position, so building them in a deterministic order makes a replay
/// byte-identical). Every output is keyed by the order it is about: a batched release sends
/// orders other than the input's.
struct Outputs {
    /// The envelope the outputs derive from: an input's or a timer's.
    let cause: Envelope
    let worker: WorkerName
    private(set) var list: [FlowOutput] = []

    init(cause: Envelope, worker: WorkerName) {
        self.cause = cause
        self.worker = worker
    }

    /// A record for the ERP under `effect`, an id derived from its facts (`FlowOutput.effectID`),
    /// so that any input bringing it about, in a replay in another order over a state behind,
    /// gives it the same `ce_id`.
    private mutating func toERP(_ message: some BusMessage, order: OrderNumber, effect: EventID) {
        list.append(FlowOutput(topic: Topics.erpSalesOrders, key: order.rawValue, message: message, effectID: effect))
    }

    /// A revision of a sales order for the ERP, under the id of its facts (the order and the
    /// revision): a transfer order is sent by the order or by its capture, a change waiting for
    /// payment by the change or by the capture, whichever comes last, so a successor replaying
    /// in another order can send the same revision from another input (`SalesOrderReplayTests`).
    mutating func toERP(_ salesOrder: ERPSalesOrder, order: OrderNumber) {
        toERP(salesOrder, order: order, effect: EventID.fromFacts("so", [order.rawValue, String(salesOrder.revision)]))
    }

    /// A return request for the ERP, under the id of its facts (the order and the return number).
    mutating func toERP(_ returnRequest: ERPReturnRequest, order: OrderNumber) {
        toERP(returnRequest, order: order, effect: EventID.fromFacts("return", [order.rawValue, returnRequest.returnNumber.rawValue]))
    }

    /// A cancellation for the ERP, under the id of its facts (the order and the site's request):
    /// the same request always reaches the ERP under one `ce_id`, whether cancelled in full or,
    /// after a partial shipment, for what was not shipped (a successor replaying over a state
    /// that did not yet know the shipment), so the ERP reads it once.
    mutating func toERP(_ cancellation: ERPSalesOrderCancellation, order: OrderNumber) {
        toERP(cancellation, order: order, effect: EventID.fromFacts("cancellation", [order.rawValue, cancellation.requestID.rawValue]))
    }

    /// The bus's decision about an order, for the site: on `bus.order-acceptance`, which
    /// status-notifier (the one writer of the order's page) shows until the ERP's first status.
    mutating func acceptance(_ status: AcceptanceStatus, reasons: [AcceptanceReason] = [], order: OrderNumber) {
        list.append(FlowOutput(topic: Topics.orderAcceptance, key: order.rawValue,
                               message: OrderAcceptance(orderNumber: order, status: status, reasons: reasons, decidedAt: cause.time)))
    }

    /// What an order sent to the ERP holds of each of its SKUs until the ERP reserves it (zero
    /// releases it), one claim per SKU in SKU order, for stock-broadcaster's availability answers.
    mutating func claims(_ lines: [(sku: SKU, quantity: Quantity)], order: OrderNumber, release: Bool) throws(SchemaError) {
        var held: [SKU: Quantity] = [:]
        for line in lines { held[line.sku] = try (held[line.sku] ?? .zero).adding(line.quantity) }
        for (sku, quantity) in held.sorted(by: { $0.key < $1.key }) {
            list.append(FlowOutput(topic: Topics.stockClaims, key: sku.rawValue, message: StockClaim(
                sku: sku, orderNumber: order, quantity: release ? .zero : quantity, claimedAt: cause.time)))
        }
    }

    /// A business exception about an order. Its id is the CloudEvents id its record will
    /// carry, so a person can quote either.
    mutating func exception(_ kind: ExceptionKind, _ reason: String, details: [String: String] = [:], order: OrderNumber) {
        let id = cause.derived(worker: worker.rawValue, position: list.count, for: BusinessException.self).id
        let exception = BusinessException(
            exceptionID: EventID(id), kind: kind, entity: EntityReference(kind: .order, key: order.rawValue), worker: worker,
            reason: reason, details: details, causeEventID: cause.id, raisedAt: cause.time)
        list.append(FlowOutput(topic: Topics.exceptions, key: order.rawValue, message: exception))
    }

    /// What an order on account owes now, when it changed, on `bus.account-exposure` (keyed by
    /// the order): zero when it owes nothing any more (paid, cancelled, sent prepaid), so that
    /// every partition sees its account's exposure fall; the entry is deleted when the order is
    /// forgotten (`forgetExposure`).
    mutating func exposure(of order: OrderNumber, from previous: AccountCharge?, to charge: AccountCharge?) {
        guard let account = charge?.account ?? previous?.account, let currency = charge?.amount.currency ?? previous?.amount.currency else { return }
        let open = charge?.open ?? Money(amount: 0, currency: currency)
        guard previous?.account != charge?.account || previous?.open != open else { return }
        list.append(FlowOutput(topic: Topics.accountExposure, key: order.rawValue,
                               message: AccountOrderExposure(orderNumber: order, accountCode: account, open: open, updatedAt: cause.time)))
    }

    /// The order's entry on `bus.account-exposure` deleted: the bus forgot the order.
    mutating func forgetExposure(of order: OrderNumber) {
        list.append(.tombstone(topic: Topics.accountExposure, key: order.rawValue, of: AccountOrderExposure.self))
    }

    /// An answer to an operator on `bus.control-replies`, under the asker's key.
    mutating func reply(_ message: some BusMessage, key: String) {
        list.append(FlowOutput(topic: Topics.controlReplies, key: key, message: message))
    }

    /// The business exception of a finding.
    mutating func exception(_ finding: Finding, order: OrderNumber) {
        exception(finding.kind, finding.message, details: finding.details, order: order)
    }
}
