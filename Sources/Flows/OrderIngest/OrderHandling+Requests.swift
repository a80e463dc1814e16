import BusSchema

/// Changes, cancellations and returns: passed on only while the ERP can still act on them.
extension OrderHandling {
    /// Refuses references to lines the order does not have, or with another SKU: bad input,
    /// named by its JSON path (`$.<field>[i].line_number` or `.sku`).
    static func checkLines(_ references: [(lineNumber: Int, sku: SKU)], at field: String, of order: SiteOrder) throws {
        for (index, reference) in references.enumerated() {
            guard let line = order.lines.first(where: { $0.lineNumber == reference.lineNumber }) else {
                throw FlowRejection(field: "$.\(field)[\(index)].line_number", reason: "the order has no such line")
            }
            guard line.sku == reference.sku else {
                throw FlowRejection(field: "$.\(field)[\(index)].sku", reason: "the SKU is not the one of that order line")
            }
        }
    }

    /// A cancellation: an order not yet in the ERP is simply dropped; one in the ERP is
    /// cancelled there while its status is before "in preparation", refused with a reason for
    /// the site while in preparation, and turned into a return of what was shipped after; once
    /// partly shipped, the part never shipped is cancelled in the ERP (it is no longer being
    /// prepared), and recorded so it is never cancelled twice. Once the cancellation of the
    /// whole order is sent, a later request sends nothing, as once the ERP says "cancelled".
    mutating func cancel(_ request: CancellationRequest) throws {
        let number = request.orderNumber
        var record = try placedRecord(number)
        guard !record.answered.contains(request.requestID.rawValue), let order = try record.current() else { return }
        try Self.checkLines(request.lines.map { ($0.lineNumber, $0.sku) }, at: "lines", of: order)
        record.answered.append(request.requestID.rawValue)
        switch record.stage {
        case .notPlaced, .awaitingPayment, .held, .scheduled:
            if request.lines.isEmpty {
                record.stage = .cancelled
                record.releaseAt = nil
                releaseQueue.remove(number)
            } else {
                refuse(request.requestID, "a partial cancellation of an order not yet in the ERP is not passed on: change the order instead", order: number)
            }
        case .cancelled, .refused:
            break
        case .sent:
            try cancelInERP(request, order, &record)
            // The changes waiting for payment were made to an order the customer now cancels.
            dropUnpaidChanges(&record, number, why: "the order was cancelled (request \(request.requestID)) before the increase was paid",
                              tellingSite: !request.lines.isEmpty)
        }
        save(record, number)
    }

    private mutating func cancelInERP(_ request: CancellationRequest, _ order: SiteOrder, _ record: inout OrderRecord) throws {
        let number = request.orderNumber
        switch record.erpStatus {
        case nil, .validated?:
            // The ERP cancels the order once: once asked, a later request sends nothing (a
            // successor replaying it before the ERP's "cancelled" status must not ask again).
            guard record.cancellationSent == nil else { break }
            outputs.toERP(ERPSalesOrderCancellation(requestID: request.requestID, externalReference: number, reason: request.reason,
                                                    lines: request.lines, requestedAt: request.requestedAt), order: number)
            if request.lines.isEmpty { record.cancellationSent = request.requestID } else { try record.changes.append(Self.remainder(after: request, of: order)) }
        case .cancelled?:
            break
        case .inPreparation?:
            refuse(request.requestID, "the order is in preparation in the ERP", order: number)
        case .partiallyShipped?, .shipped?, .delivered?:
            let wanted = request.lines.isEmpty ? order.lines.map { OrderLineQuantity(lineNumber: $0.lineNumber, sku: $0.sku, quantity: $0.quantity) } : request.lines
            var returning: [ReturnLine] = []
            var kept: [String] = []
            var unshipped: [OrderLineQuantity] = []
            for line in wanted {
                // What was never shipped is cancelled first; only the remainder is sent back.
                let rest = min(line.quantity, try record.unshipped(line.lineNumber, of: order))
                let back = min(try line.quantity.subtracting(rest), try record.returnable(line.lineNumber))
                if back > .zero {
                    returning.append(ReturnLine(lineNumber: line.lineNumber, sku: line.sku, quantity: back,
                                                reason: request.reason == .customerRequest ? .noLongerNeeded : .other,
                                                comment: "cancellation requested after shipment"))
                }
                if rest > .zero {
                    kept.append("line \(line.lineNumber): \(rest) not shipped yet")
                    unshipped.append(OrderLineQuantity(lineNumber: line.lineNumber, sku: line.sku, quantity: rest))
                }
            }
            if !returning.isEmpty {
                try record.takeReturn(returning)
                outputs.toERP(ERPReturnRequest(returnNumber: Self.returnNumber(for: request.requestID), externalReference: number,
                                               soldTo: try soldTo(record), lines: returning, refundMethod: .originalPayment,
                                               requestedAt: request.requestedAt), order: number)
            }
            guard !kept.isEmpty else { break }
            if record.erpStatus == .partiallyShipped {
                // The part never shipped is no longer being prepared: the ERP cancels it.
                outputs.toERP(ERPSalesOrderCancellation(requestID: request.requestID, externalReference: number, reason: request.reason,
                                                        lines: unshipped, requestedAt: request.requestedAt), order: number)
                try record.takeCancellation(unshipped)
            } else {
                refuse(request.requestID, "the part not shipped is in preparation in the ERP (\(kept.joined(separator: "; ")))", order: number)
            }
        }
    }

    /// A partial cancellation as the change it makes to the order: each line named keeps what
    /// was not cancelled (nothing: the line goes). Taken in with the order's changes, so the
    /// next revision sent to the ERP does not bring the cancelled quantities back.
    static func remainder(after request: CancellationRequest, of order: SiteOrder) throws -> OrderChange {
        var lineChanges: [LineQuantityChange] = []
        for cancelled in request.lines {
            guard let line = order.lines.first(where: { $0.lineNumber == cancelled.lineNumber }) else { continue }
            let left = try line.quantity.subtracting(cancelled.quantity)
            lineChanges.append(LineQuantityChange(lineNumber: line.lineNumber, sku: line.sku, quantity: left.value.isNegative ? .zero : left))
        }
        return OrderChange(changeID: EventID("cancellation-" + request.requestID.rawValue), orderNumber: request.orderNumber,
                           changedAt: request.requestedAt, lineChanges: lineChanges)
    }

    /// The return number of a cancellation turned into a return: "RC-" and 29 hexadecimal
    /// digits derived from the request id, so the same request always gives the same number.
    static func returnNumber(for request: EventID) -> ReturnNumber {
        let digits = NameBasedUUID.v5(namespace: NameBasedUUID.busNamespace, name: "cancellation-return:" + request.rawValue)
            .uppercased().filter(\.isHexDigit)
        return ReturnNumber("RC-" + digits.prefix(29))
    }

    /// A return: passed on when every line names a shipped line of the order and a quantity
    /// no greater than shipped and not yet returned; otherwise refused with a reason.
    mutating func returnGoods(_ request: ReturnRequest) throws {
        let number = request.orderNumber
        var record = try placedRecord(number)
        guard !record.answered.contains(request.returnNumber.rawValue) else { return }
        guard let order = try record.current() else { return }
        try Self.checkLines(request.lines.map { ($0.lineNumber, $0.sku) }, at: "lines", of: order)
        record.answered.append(request.returnNumber.rawValue)
        var excess: [String] = []
        for line in request.lines {
            let returnable = try record.returnable(line.lineNumber)
            if line.quantity > returnable { excess.append("line \(line.lineNumber): \(line.quantity) asked, \(returnable) returnable") }
        }
        if record.stage != .sent {
            refuse(EventID(request.returnNumber.rawValue), "the order never reached the ERP", order: number)
        } else if !excess.isEmpty {
            refuse(EventID(request.returnNumber.rawValue), "a return may not exceed what was shipped and not yet returned (\(excess.joined(separator: "; ")))", order: number)
        } else {
            try record.takeReturn(request.lines)
            outputs.toERP(ERPReturnRequest(returnNumber: request.returnNumber, externalReference: number, soldTo: try soldTo(record),
                                           lines: request.lines, refundMethod: request.refundMethod, requestedAt: request.requestedAt,
                                           exchange: request.exchange), order: number)
        }
        save(record, number)
    }

    /// A refusal the site and customer service read on `bus.exceptions`.
    mutating func refuse(_ request: EventID, _ why: String, order: OrderNumber) {
        outputs.exception(.other, "request \(request) refused: \(why)", details: ["request_id": request.rawValue], order: order)
    }

    func soldTo(_ record: OrderRecord) throws -> ERPAccountCode {
        guard let account = record.soldTo else { throw FlowRejection(field: nil, reason: "the order's ERP account is not known") }
        return account
    }
}

extension OrderRecord {
    /// How much of a line was shipped and not yet sent back.
    public func returnable(_ lineNumber: Int) throws(SchemaError) -> Quantity {
        let left = try (shipped[lineNumber] ?? .zero).subtracting(returned[lineNumber] ?? .zero)
        return left.value.isNegative ? .zero : left
    }

    /// How much of a line was neither shipped nor cancelled.
    public func unshipped(_ lineNumber: Int, of order: SiteOrder) throws(SchemaError) -> Quantity {
        guard let ordered = order.lines.first(where: { $0.lineNumber == lineNumber })?.quantity else { return .zero }
        let left = try ordered.subtracting(shipped[lineNumber] ?? .zero).subtracting(cancelled[lineNumber] ?? .zero)
        return left.value.isNegative ? .zero : left
    }

    /// Counts `lines` as cancelled in the ERP.
    public mutating func takeCancellation(_ lines: [OrderLineQuantity]) throws(SchemaError) {
        for line in lines { cancelled[line.lineNumber] = try (cancelled[line.lineNumber] ?? .zero).adding(line.quantity) }
    }

    /// Counts `lines` as returned.
    public mutating func takeReturn(_ lines: [ReturnLine]) throws(SchemaError) {
        for line in lines { returned[line.lineNumber] = try (returned[line.lineNumber] ?? .zero).adding(line.quantity) }
    }
}
