import BusSchema

/// order-ingest: site orders in, ERP sales orders out, exactly once in effect.
///
/// Reads `shop.orders` (orders, changes, cancellations, returns), `shop.payments` (payment
/// status) and `erp.order-status`, co-partitioned by order number, and the tables
/// `shop.catalog` (known SKUs and prices) and `bus.customer-identity` (ERP accounts). Writes
/// `erp.sales-orders`, the acceptance on `bus.order-acceptance` (status-notifier shows it on
/// `shop.order-tracking`) and business exceptions; takes operators' queries and commands from
/// `bus.control` (`OrderIngest+Operators`).
///
/// Idempotent under redelivery: each order's record says what was taken in (the placement,
/// change ids, cancellation ids, return numbers, payment ids, status sequence), and an input
/// the record already holds produces nothing; the state then says its outputs were delivered.
public struct OrderIngest: Flow {
    /// Per order number: the order's record; plus the partition's release queue when batched.
    public typealias State = OrderIngestState

    /// "order-ingest".
    public let name = WorkerName.orderIngest.rawValue
    /// `shop.orders`, `shop.payments`, `erp.order-status`, and the live price queries with
    /// the ERP's answers (`shop.price-queries`, `erp.price-answers`, co-partitioned by the
    /// asker's reply key; see `OrderIngest+PriceQueries`).
    public let inputs = [Topics.shopOrders, Topics.shopPayments, Topics.erpOrderStatus, Topics.priceQueries, Topics.erpPriceAnswers]
    /// `shop.catalog`, `bus.customer-identity`, `bus.erasures` (see `OrderIngest+Erasure`),
    /// `shop.account-invoices` (what orders on account still owe, see `OrderIngest+Tables`) and
    /// `bus.account-exposure` (the same, as this flow publishes it from every partition).
    public let tables = [Topics.shopCatalog, Topics.customerIdentity, Topics.erasures, Topics.shopAccountInvoices, Topics.accountExposure]
    /// The rules this instance applies.
    public let rules: OrderIngestRules
    let builder: ERPOrderBuilder
    let catalog = CatalogLookup()

    /// A flow applying `rules`.
    public init(rules: OrderIngestRules = .defaults) {
        self.rules = rules
        builder = ERPOrderBuilder(rules: rules)
    }

    /// Handles one input, then, when batched, releases the partition's orders that are due at
    /// the input's time (the release queue's timer does it too when the partition is quiet).
    /// A placement of an unknown order older than the retention is an exception
    /// (`refuseIfForgotten`), and so is a change, cancellation or return of an order not held
    /// while retention forgets finished orders. Throws a `FlowRejection` for a message this flow
    /// does not read or, with retention for ever, a request about an order never placed (the
    /// runtime has checked the record key).
    public func handle(_ input: FlowInput, state: inout FlowState<OrderIngestState>, tables: any TableLookup) throws -> [FlowOutput] {
        switch input.message {
        case let query as PriceQuery: return try priceQuery(query, input, state: &state, tables: tables)
        case let answer as ERPPriceAnswer: return try erpPriceAnswer(answer, input, state: &state, tables: tables)
        default: break
        }
        var handling = OrderHandling(flow: self, cause: input.envelope, key: input.key, tables: tables, state: state)
        switch input.message {
        case let order as SiteOrder: if !handling.refuseIfForgotten(order) { try handling.place(order) }
        case let change as OrderChange:
            if !handling.refuseIfForgotten(change.orderNumber, request: change.changeID.rawValue) { try handling.change(change) }
        case let request as CancellationRequest:
            if !handling.refuseIfForgotten(request.orderNumber, request: request.requestID.rawValue) { try handling.cancel(request) }
        case let request as ReturnRequest:
            if !handling.refuseIfForgotten(request.orderNumber, request: request.returnNumber.rawValue) { try handling.returnGoods(request) }
        case let payment as SitePayment: try handling.pay(payment)
        case let status as ERPOrderStatus: try handling.track(status)
        default:
            throw FlowRejection(field: nil, reason: "order-ingest does not read \(input.envelope.type) messages")
        }
        handling.noteEvent(on: input.key)
        try handling.releaseDue()
        state = handling.state
        if let key = input.key { Self.forgetErased(in: &state, key: key, tables: tables) }
        return handling.outputs.list
    }
}
