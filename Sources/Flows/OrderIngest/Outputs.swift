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

    /// A sales order, cancellation or return request for the ERP.
    mutating func toERP(_ message: some BusMessage, order: OrderNumber) {
        list.append(FlowOutput(topic: Topics.erpSalesOrders, key: order.rawValue, message: message))
    }

    /// The bus's decision about an order, for the site.
    mutating func acceptance(_ status: AcceptanceStatus, reasons: [AcceptanceReason] = [], order: OrderNumber) {
        list.append(FlowOutput(topic: Topics.shopOrderTracking, key: order.rawValue,
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

    /// The business exception of a finding.
    mutating func exception(_ finding: Finding, order: OrderNumber) {
        exception(finding.kind, finding.message, details: finding.details, order: order)
    }
}
