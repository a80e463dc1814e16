import BusSchema

/// The ERP's side of the day: it publishes its master data at opening (articles, customers,
/// stock), acts of its own accord when the script says (receipts, counts, an article made
/// obsolete, customer edits), and reacts to what the bus sends it as a real ERP would:
/// sales orders booked, prepared, shipped, invoiced and delivered; cancellations and returns
/// handled; accounts created and updated.
final class ERPSimulator {
    static let source = "erp/sage-x3"
    let day: BusinessDay
    private let publisher: Publisher
    private(set) var warehouse: ERPWarehouse
    private(set) var customers: ERPCustomerBook
    private(set) var desk: ERPOrderDesk
    /// Refunds the back office asked the payment provider for; the site reports them.
    private(set) var refundRequests: [(order: OrderNumber, amount: Money, creditNote: CreditNoteNumber, at: Instant)] = []
    private var plans: [OrderNumber: OrderPlan] = [:]
    /// What it has imported from the bus: a replayed record is not a second document.
    private var imports = ERPImports()
    /// The latest refund proposal of each order, and what the back office refunded on one
    /// (`ERPSimulator+RefundProposals`).
    var proposals: [OrderNumber: RefundProposal] = [:]
    var refundedOnProposal: [OrderNumber: Money] = [:]
    var proposedRefunds: [(order: OrderNumber, amount: Money, at: Instant)] = []

    init(day: BusinessDay, publisher: Publisher) {
        self.day = day
        self.publisher = publisher
        var receipts: [(SKU, WarehouseCode, Int)] = []
        for timed in day.events {
            if case .stockReceipt(let sku, let warehouse, let units) = timed.event { receipts.append((sku, warehouse, units)) }
        }
        warehouse = ERPWarehouse(catalogue: day.catalogue, receipts: receipts, day: day.clock.day)
        customers = ERPCustomerBook(accounts: day.customers.erpAccounts, run: day.run)
        for signUp in day.customers.signUps {
            if case .matched(let code, _) = signUp.expected { customers.know(signUp.account.siteAccountID, as: code) }
        }
        desk = ERPOrderDesk(clock: day.clock)
        for plan in day.orders { plans[plan.number] = plan }
    }

    /// Opening: every article, every known account, every SKU's stock in every warehouse.
    func open() throws {
        let time = try day.clock.at(hour: 6)
        for article in day.catalogue.articles {
            publisher.publish(article, topic: Topics.erpArticles, key: article.sku.rawValue, source: Self.source, time: time, name: "erp/article/\(article.sku)")
        }
        for account in day.customers.erpAccounts { publish(account) }
        for level in try warehouse.openingLevels(at: time) { publish(level) }
    }

    /// Takes the script's ERP events; ignores the site's.
    func perform(_ event: DayEvent, at time: Instant) throws {
        switch event {
        case .stockReceipt(let sku, let code, let units):
            if let level = try warehouse.receive(sku, code, units, at: time) { publish(level) }
        case .stockCount(let sku, let code, let delta):
            if let level = try warehouse.count(sku, code, delta: delta, at: time) { publish(level) }
        case .articleObsolete:
            if let article = day.catalogue.obsoleted(at: time) {
                publisher.publish(article, topic: Topics.erpArticles, key: article.sku.rawValue, source: Self.source, time: time, name: "erp/article/\(article.sku)")
            }
        case .termsChangedInERP(let code, let terms):
            if let account = try customers.edit(code: code, at: time, { $0.paymentTerms = terms }) { publish(account) }
        case .conflictingEdit(let site, _, let phone):
            // The same field, a second after the customer changed it on the site.
            if let account = try customers.edit(site: site, at: try day.clock.adding(1, to: time), { $0.phone = phone }) { publish(account) }
        case .erpEnteredOrderStep(let index):
            if let order = day.erpEnteredOrder { perform([.status(order.status(index))]) }
        case .placeOrder, .bankTransferArrives, .phoneChangedOnSite, .cardNumberInPayment, .malformedOrder, .signUp:
            break
        }
    }

    /// Reacts to a record of the topics the ERP reads, and notices its own statuses and the
    /// bus's refusals (the warehouse waits for them).
    func observe(_ record: ObservedRecord) throws {
        guard imports.takes(record) else { return }
        switch record.topic {
        case Topics.erpSalesOrders:
            if let order = record.message(as: ERPSalesOrder.self) {
                perform(try desk.receive(order, plan: plans[order.externalReference], warehouse: &warehouse))
            } else if let cancellation = record.message(as: ERPSalesOrderCancellation.self) {
                perform(try desk.receive(cancellation, warehouse: &warehouse))
            } else if let request = record.message(as: ERPReturnRequest.self) {
                perform(try desk.receive(request, warehouse: &warehouse))
            }
        case Topics.erpCustomerUpdates:
            if let update = record.message(as: ERPCustomerUpdate.self), let account = try customers.apply(update) { publish(account) }
        case Topics.erpOrderStatus:
            if let status = record.message(as: ERPOrderStatus.self) { desk.observed(status) }
        case Topics.erpLettering:
            if let proposal = record.message(as: RefundProposal.self) { take(proposal) }
        case Topics.exceptions:
            if let exception = record.message(as: BusinessException.self), exception.worker == .orderIngest, exception.entity.kind == .order {
                desk.refusalSeen(OrderNumber(exception.entity.key))
            }
        default:
            break
        }
    }

    /// Moves orders along.
    func advance() throws {
        perform(try desk.advance(warehouse: &warehouse))
        approveProposals()
    }

    /// Takes the refunds asked of the payment provider since last time.
    func takeRefundRequests() -> [(order: OrderNumber, amount: Money, creditNote: CreditNoteNumber, at: Instant)] {
        defer { refundRequests = [] }
        return refundRequests
    }

    /// Whether every order it has is delivered or cancelled.
    var isSettled: Bool { desk.isSettled && awaitingProposals.isEmpty }

    private func perform(_ effects: [ERPEffect]) {
        for effect in effects {
            switch effect {
            case .status(let status):
                publisher.publish(status, topic: Topics.erpOrderStatus, key: status.orderNumber.rawValue, source: Self.source,
                                  time: status.statusAt, name: "erp/status/\(status.orderNumber)/\(status.sequence)")
            case .invoice(let invoice):
                publisher.publish(invoice, topic: Topics.erpInvoices, key: invoice.orderNumber.rawValue, source: Self.source,
                                  time: invoice.issuedAt, name: "erp/invoice/\(invoice.invoiceNumber)")
            case .creditNote(let note):
                publisher.publish(note, topic: Topics.erpInvoices, key: note.orderNumber.rawValue, source: Self.source,
                                  time: note.issuedAt, name: "erp/credit-note/\(note.creditNoteNumber)")
            case .stock(let level):
                publish(level)
            case .refund(let order, let amount, let note, let at):
                refundRequests.append((order, amount, note, at))
            }
        }
    }

    private func publish(_ level: ERPStockLevel) {
        publisher.publish(level, topic: Topics.erpStock, key: level.sku.rawValue, source: Self.source, time: level.measuredAt,
                          name: "erp/stock/\(level.sku)/\(level.warehouse)")
    }

    private func publish(_ account: ERPCustomerAccount) {
        publisher.publish(account, topic: Topics.erpCustomers, key: account.accountCode.rawValue, source: Self.source,
                          time: account.updatedAt, name: "erp/account/\(account.accountCode)")
    }
}
