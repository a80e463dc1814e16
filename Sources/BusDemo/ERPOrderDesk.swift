import BusSchema

/// What the ERP sends out after taking something in or moving an order along.
enum ERPEffect {
    case status(ERPOrderStatus)
    case invoice(ERPInvoice)
    case creditNote(ERPCreditNote)
    case stock(ERPStockLevel)
    /// The back office asks the payment provider to refund the customer; the site reports it.
    case refund(order: OrderNumber, amount: Money, creditNote: CreditNoteNumber, at: Instant)
}

/// One sales order in the ERP.
struct ERPOrder {
    enum Stage: Int, Comparable {
        case validated, preparing, partlyShipped, shipped, delivered, cancelled
        static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var salesOrder: ERPSalesOrder
    let plan: OrderPlan?
    var stage = Stage.validated
    var sequence = 0
    /// The highest of its statuses seen back on `erp.order-status`: the next step waits for it.
    var observedSequence = 0
    /// Units reserved per line, and where.
    var reservations: [Int: (warehouse: WarehouseCode, units: Int)] = [:]
    var shipments: [Shipment] = []
    var documents: [OrderDocument] = []
    var invoices: [ERPInvoice] = []
    var creditNotes: [ERPCreditNote] = []
    var returnsTaken: [ReturnNumber] = []
    /// The bus's refusal of a cancellation in preparation was seen: the warehouse may ship.
    var refusalSeen = false
    /// Requests the ERP could not honour (a cancellation after preparation started...).
    var refused: [String] = []
    /// Lines cancelled whole while the order stood (`cancelLines`), never shipped nor invoiced.
    var cancelledLines: Set<Int> = []
    /// What the cancelled lines took off the current revision: excluding tax, and including
    /// tax as payment-letterer takes it off (the lines' totals); nil: nothing.
    var cancelled: (exclTax: Money, inclTax: Money)?

    var number: OrderNumber { salesOrder.externalReference }
    var reference: String { "CV-2025-\(number.serial)" }
}

/// The ERP's order handling: books each sales order, reserves its stock, then moves it along
/// as a warehouse would (preparation, one or two parcels, an invoice per parcel, delivery),
/// cancels while it still can and credits returns. Returns what to publish, performs nothing.
struct ERPOrderDesk {
    var orders: [OrderNumber: ERPOrder] = [:]
    /// Disagreements between a sales order's totals and the ERP's own computation.
    private(set) var bookProblems: [String] = []
    let clock: DayClock

    init(clock: DayClock) {
        self.clock = clock
    }

    /// A sales order or a new revision of it.
    mutating func receive(_ salesOrder: ERPSalesOrder, plan: OrderPlan?, warehouse: inout ERPWarehouse) throws -> [ERPEffect] {
        if let problem = try ERPBooks.problem(with: salesOrder) {
            bookProblems.append("\(salesOrder.externalReference) revision \(salesOrder.revision): \(problem)")
        }
        let number = salesOrder.externalReference
        guard var order = orders[number] else {
            var order = ERPOrder(salesOrder: salesOrder, plan: plan)
            let at = try time(order, .validated)
            var effects: [ERPEffect] = []
            for line in salesOrder.lines {
                let units = try units(line.quantity)
                if let (warehouseCode, level) = try warehouse.reserve(line.sku, units, at: at) {
                    order.reservations[line.lineNumber] = (warehouseCode, units)
                    effects.append(.stock(level))
                }
            }
            order.documents = [OrderDocument(kind: .acknowledgement, number: order.reference, issuedAt: at)]
            effects.append(.status(status(&order, .validated, at: at)))
            orders[number] = order
            return effects
        }
        guard salesOrder.revision > order.salesOrder.revision, order.stage == .validated else { return [] }
        // A new revision before preparation: reservations follow the new quantities.
        var effects: [ERPEffect] = []
        let at = try clock.adding(60, to: try time(order, .validated))
        for (lineNumber, reservation) in order.reservations.sorted(by: { $0.key < $1.key }) {
            let wanted = try salesOrder.lines.first { $0.lineNumber == lineNumber }.map { try units($0.quantity) } ?? 0
            guard wanted < reservation.units, let sku = order.salesOrder.lines.first(where: { $0.lineNumber == lineNumber })?.sku else { continue }
            if let level = try warehouse.release(sku, reservation.warehouse, reservation.units - wanted, at: at) { effects.append(.stock(level)) }
            order.reservations[lineNumber] = wanted == 0 ? nil : (reservation.warehouse, wanted)
        }
        order.salesOrder = salesOrder
        // The new revision's totals no longer count the lines cancelled before it.
        order.cancelled = nil
        orders[number] = order
        return effects
    }

    /// A cancellation: honoured before preparation, else noted as refused.
    mutating func receive(_ cancellation: ERPSalesOrderCancellation, warehouse: inout ERPWarehouse) throws -> [ERPEffect] {
        guard !cancellation.lines.isEmpty else { return try cancelWhole(cancellation, warehouse: &warehouse) }
        return try cancelLines(cancellation, warehouse: &warehouse)
    }

    private mutating func cancelWhole(_ cancellation: ERPSalesOrderCancellation, warehouse: inout ERPWarehouse) throws -> [ERPEffect] {
        guard var order = orders[cancellation.externalReference] else { return [] }
        guard order.stage == .validated else {
            order.refused.append("cancellation \(cancellation.requestID) arrived while \(order.stage)")
            order.refusalSeen = true
            orders[order.number] = order
            return []
        }
        let at = try clock.adding(300, to: cancellation.requestedAt)
        var effects: [ERPEffect] = []
        for (lineNumber, reservation) in order.reservations.sorted(by: { $0.key < $1.key }) {
            guard let sku = order.salesOrder.lines.first(where: { $0.lineNumber == lineNumber })?.sku else { continue }
            if let level = try warehouse.release(sku, reservation.warehouse, reservation.units, at: at) { effects.append(.stock(level)) }
        }
        order.reservations = [:]
        effects.append(.status(status(&order, .cancelled, at: at)))
        orders[order.number] = order
        return effects
    }

    /// A return: a credit note for the units returned, the goods back in stock, and the
    /// refund asked of the payment provider when it goes to the original payment. Units taken
    /// in exchange are not credited: the exchange goes out at no charge (`receiveExchange`).
    mutating func receive(_ request: ERPReturnRequest, warehouse: inout ERPWarehouse) throws -> [ERPEffect] {
        guard var order = orders[request.externalReference], !order.returnsTaken.contains(request.returnNumber),
              let invoice = order.invoices.last else { return [] }
        order.returnsTaken.append(request.returnNumber)
        var units: [Int: Int] = [:]
        for line in request.lines { units[line.lineNumber, default: 0] += try self.units(line.quantity) }
        for exchange in request.exchange ?? [] { units[exchange.returnedLineNumber, default: 0] -= try self.units(exchange.quantity) }
        let at = try clock.adding(2 * 3600, to: request.requestedAt)
        guard units.values.contains(where: { $0 > 0 }) else { return try receiveExchange(request, order, warehouse: &warehouse, at: at) }
        let (excl, tax) = try ERPBooks.amounts(of: units, in: order.salesOrder)
        let note = ERPCreditNote(
            creditNoteNumber: CreditNoteNumber("AV-2025-\(order.number.serial)-\(order.creditNotes.count + 1)"),
            invoiceNumber: invoice.invoiceNumber, orderNumber: order.number, accountCode: order.salesOrder.soldTo, currency: order.salesOrder.currency,
            totalExclTax: excl, totalTax: tax, totalInclTax: try excl.adding(tax), reason: .return, refundMethod: request.refundMethod,
            returnNumber: request.returnNumber, issuedAt: at)
        order.creditNotes.append(note)
        var effects: [ERPEffect] = [.creditNote(note)]
        for line in request.lines {
            guard let reservation = order.reservations[line.lineNumber] else { continue }
            if let level = try warehouse.restock(line.sku, reservation.warehouse, try self.units(line.quantity), at: at) { effects.append(.stock(level)) }
        }
        if request.refundMethod == .originalPayment {
            effects.append(.refund(order: order.number, amount: note.totalInclTax, creditNote: note.creditNoteNumber, at: at))
        }
        orders[order.number] = order
        return effects
    }

    /// One of its own statuses came back from the cluster.
    mutating func observed(_ status: ERPOrderStatus) {
        guard status.sequence > orders[status.orderNumber]?.observedSequence ?? Int.max else { return }
        orders[status.orderNumber]?.observedSequence = status.sequence
    }

    /// The bus refused the site's cancellation of an order in preparation.
    mutating func refusalSeen(_ order: OrderNumber) {
        orders[order]?.refusalSeen = true
    }

    /// Moves every order one step where it may go: each step waits for the previous status
    /// to be on the cluster, and for the site's planned change or cancellation to come
    /// through first (the warehouse picks orders later in the day).
    mutating func advance(warehouse: inout ERPWarehouse) throws -> [ERPEffect] {
        var effects: [ERPEffect] = []
        for number in orders.keys.sorted() {
            guard var order = orders[number], order.observedSequence == order.sequence else { continue }
            let fate = order.plan?.fate ?? .completed
            switch order.stage {
            case .validated:
                if fate == .cancelledBeforePreparation || (fate == .changedBeforePreparation && order.salesOrder.revision < 2) { continue }
                if fate == .partlyCancelled || fate == .partlyCancelledThenChanged, order.cancelledLines.isEmpty { continue }
                if fate == .partlyCancelledThenChanged, order.salesOrder.revision < 2 { continue }
                effects.append(.status(status(&order, .preparing, at: try time(order, .preparing))))
            case .preparing:
                if fate == .cancelledInPreparation && !order.refusalSeen { continue }
                effects += try ship(&order, split: order.plan?.splitShipment ?? false, warehouse: &warehouse)
            case .partlyShipped:
                // The customer cancels the rest once the first parcel left.
                if fate == .restCancelledAfterPartialShipment, order.cancelledLines.isEmpty { continue }
                effects += try ship(&order, split: false, warehouse: &warehouse)
            case .shipped:
                effects.append(.status(status(&order, .delivered, at: try time(order, .delivered))))
            case .delivered, .cancelled:
                continue
            }
            orders[number] = order
        }
        return effects
    }

    /// Whether every order is delivered or cancelled.
    var isSettled: Bool { unsettled.isEmpty }

    /// The orders not yet delivered or cancelled (or whose last status is not back yet).
    var unsettled: [OrderNumber] {
        orders.filter { !(($0.value.stage == .delivered || $0.value.stage == .cancelled) && $0.value.observedSequence == $0.value.sequence) }
            .keys.sorted()
    }

    // MARK: Steps

    /// Ships the reserved lines not yet shipped (the first half of them for a first parcel),
    /// with the parcel's invoice; the last invoice takes what is left of the order's total.
    private mutating func ship(_ order: inout ERPOrder, split: Bool, warehouse: inout ERPWarehouse) throws -> [ERPEffect] {
        let shipped = Set(order.shipments.flatMap(\.lines).map(\.lineNumber))
        var lines = order.salesOrder.lines.filter { !shipped.contains($0.lineNumber) && order.reservations[$0.lineNumber] != nil }
        let currency = order.salesOrder.currency
        var excl: Money, tax: Money
        if split, lines.count > 1 {
            lines = Array(lines.prefix(lines.count / 2))
            var units: [Int: Int] = [:]
            for line in lines { units[line.lineNumber] = try self.units(line.quantity) }
            (excl, tax) = try ERPBooks.amounts(of: units, in: order.salesOrder)
            // The last invoice takes the rest (charges, discounts, rounding): never a negative amount.
            let restExcl = try order.salesOrder.totals.totalExclTax.subtracting(excl)
            let restIncl = try order.salesOrder.totals.totalInclTax.subtracting(excl.adding(tax))
            if restExcl.amount <= 0 || restIncl.amount < restExcl.amount {
                return try ship(&order, split: false, warehouse: &warehouse)
            }
        } else {
            let invoicedExcl = try Money.sum(order.invoices.map(\.totalExclTax), in: currency)
            let invoicedIncl = try Money.sum(order.invoices.map(\.totalInclTax), in: currency)
            let cancelled = order.cancelled ?? (Money.zero(currency), Money.zero(currency))
            excl = try order.salesOrder.totals.totalExclTax.subtracting(invoicedExcl).subtracting(cancelled.exclTax)
            tax = try order.salesOrder.totals.totalInclTax.subtracting(invoicedIncl).subtracting(cancelled.inclTax).subtracting(excl)
        }
        let parcel = order.shipments.count + 1
        let isLast = lines.count == order.salesOrder.lines.filter({ !shipped.contains($0.lineNumber) && !order.cancelledLines.contains($0.lineNumber) }).count
        let at = try time(order, isLast ? .shipped : .partlyShipped)
        let digits = order.number.serial
        let carrier = order.salesOrder.shipTo.carrier ?? "colissimo"
        let trackingNumber = "6A\(digits)\(parcel)"
        var effects: [ERPEffect] = []
        for line in lines {
            guard let reservation = order.reservations[line.lineNumber],
                  let level = try warehouse.ship(line.sku, reservation.warehouse, reservation.units, at: at) else { continue }
            effects.append(.stock(level))
        }
        // Nothing left to ship once the rest was cancelled: no parcel, only what is left to bill.
        if !lines.isEmpty {
            order.shipments.append(Shipment(
                shipmentID: EventID("SHP-\(digits)-\(parcel)"), carrier: carrier, trackingNumber: trackingNumber,
                trackingURL: "https://tracking.example.com/\(carrier)/\(trackingNumber)", shippedAt: at,
                lines: lines.map { OrderLineQuantity(lineNumber: $0.lineNumber, sku: $0.sku, quantity: $0.quantity) }))
        }
        guard try !lines.isEmpty || excl.adding(tax).amount > 0 else {
            effects.append(.status(status(&order, isLast ? .shipped : .partlyShipped, at: at)))
            return effects
        }
        let invoice = ERPInvoice(
            invoiceNumber: InvoiceNumber("FA-2025-\(digits)-\(parcel)"), orderNumber: order.number, accountCode: order.salesOrder.soldTo,
            currency: currency, totalExclTax: excl, totalTax: tax, totalInclTax: try excl.adding(tax), issuedAt: at, dueOn: at.utcDate,
            documentURL: "https://erp.example.com/documents/FA-2025-\(digits)-\(parcel).pdf")
        order.invoices.append(invoice)
        order.documents.append(OrderDocument(kind: .invoice, number: invoice.invoiceNumber.rawValue, url: invoice.documentURL, issuedAt: at))
        effects.append(.status(status(&order, isLast ? .shipped : .partlyShipped, at: at)))
        effects.append(.invoice(invoice))
        return effects
    }

    /// The next status of `order`, at `stage`.
    func status(_ order: inout ERPOrder, _ stage: ERPOrder.Stage, at time: Instant) -> ERPOrderStatus {
        order.stage = stage
        order.sequence += 1
        let status: OrderStatus = switch stage {
        case .validated: .validated
        case .preparing: .inPreparation
        case .partlyShipped: .partiallyShipped
        case .shipped: .shipped
        case .delivered: .delivered
        case .cancelled: .cancelled
        }
        return ERPOrderStatus(orderNumber: order.number, erpOrderReference: Code(order.reference), status: status, sequence: order.sequence,
                              statusAt: time, shipments: order.shipments, problems: [], documents: order.documents)
    }

    /// When the warehouse reaches `stage` for `order`: after the order is placed (or, for a
    /// bank transfer, paid): validated in 2 min, picked in 40 min, parcels at 3 h and 5 h,
    /// delivered the next morning. Fixed by the plan, so a seed always gives the same times.
    private func time(_ order: ERPOrder, _ stage: ERPOrder.Stage) throws -> Instant {
        let placed = order.plan?.paidAt ?? order.salesOrder.orderedAt
        let minutes: Int = switch stage {
        case .validated: 2
        case .preparing: 40
        case .partlyShipped: 180
        case .shipped: order.shipments.isEmpty ? 180 : 300
        case .delivered: 24 * 60
        case .cancelled: 60
        }
        return try clock.adding(minutes * 60, to: max(placed, order.salesOrder.orderedAt))
    }

    func units(_ quantity: Quantity) throws -> Int {
        try required(Int(quantity.description), "whole quantity")
    }
}
