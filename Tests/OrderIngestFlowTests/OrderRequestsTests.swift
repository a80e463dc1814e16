import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// Changes, cancellations and returns, gated by the ERP status.
@Suite("order-ingest: changes, cancellations, returns")
struct OrderRequestsTests {
    static let lines = [Shop.line(1, "MUG", "3", 699, "20"), Shop.line(2, "BOOK", "7", 399, "5.5")]

    /// A bench with WEB-1 in the ERP and, when given, an ERP status with shipments.
    static func sentOrder(status: OrderStatus? = nil, shipped: [(Int, String, String)] = []) throws -> OrderBench {
        let bench = OrderBench()
        try bench.place(Shop.order("WEB-1", lines: lines))
        if let status {
            let shipment = Shipment(shipmentID: "SHP-1", carrier: "colissimo", shippedAt: Shop.at(minutes: 900),
                                    lines: shipped.map { OrderLineQuantity(lineNumber: $0.0, sku: SKU($0.1), quantity: Shop.quantity($0.2)) })
            try bench.handle(ERPOrderStatus(orderNumber: "WEB-1", erpOrderReference: "SO-1", status: status, sequence: 5, statusAt: Shop.at(minutes: 900),
                                            shipments: shipped.isEmpty ? [] : [shipment], problems: [], documents: []), key: "WEB-1")
        }
        return bench
    }

    static func change(_ id: String, _ lineChanges: [LineQuantityChange], totals: Int64? = nil) -> OrderChange {
        OrderChange(changeID: EventID(id), orderNumber: "WEB-1", changedAt: Shop.at(minutes: 1000), lineChanges: lineChanges,
                    totals: totals.map { OrderTotals(linesInclTax: Shop.money($0), shippingInclTax: Shop.money(0), vouchersInclTax: Shop.money(0),
                                                     totalExclTax: Shop.money($0 * 5 / 6), totalTax: Shop.money($0 - $0 * 5 / 6), totalInclTax: Shop.money($0)) })
    }

    static func cancellation(_ id: String, lines: [OrderLineQuantity] = []) -> CancellationRequest {
        CancellationRequest(requestID: EventID(id), orderNumber: "WEB-1", requestedAt: Shop.at(minutes: 1000), requestedBy: .customer,
                            reason: .customerRequest, lines: lines)
    }

    struct StatusCase: Sendable, CustomTestStringConvertible {
        let status: OrderStatus?
        let passedOn: Bool
        var testDescription: String { "ERP status \(status?.rawValue ?? "none yet") → \(passedOn ? "passed on" : "refused")" }
    }

    @Test("a change is passed on as the next revision while the ERP status is before in preparation", arguments: [
        StatusCase(status: nil, passedOn: true), StatusCase(status: .validated, passedOn: true),
        StatusCase(status: .inPreparation, passedOn: false), StatusCase(status: .cancelled, passedOn: false),
    ])
    func change(_ row: StatusCase) throws {
        let bench = try Self.sentOrder(status: row.status)
        // 2 mugs instead of 3: 13.98 + 27.93 = 41.91
        let change = Self.change("chg-1", [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: Quantity(2))], totals: 4191)
        let outputs = try bench.handle(change, key: "WEB-1")
        if row.passedOn {
            let revision = try #require(outputs.messages(ERPSalesOrder.self).first)
            #expect(revision.revision == 2)
            #expect(revision.lines.map(\.quantity) == [Quantity(2), Quantity(7)])
            #expect(revision.totals.totalInclTax == Shop.money(4191))
            #expect(revision.validate().isEmpty)
        } else {
            #expect(outputs.map(\.topic) == [Topics.exceptions])
            #expect(outputs.messages(BusinessException.self).first?.details["request_id"] == "chg-1")
        }
        #expect(try bench.handle(change, key: "WEB-1").isEmpty, "a change is answered once")
    }

    @Test("a change, cancellation or return naming a line the order does not have is refused with the JSON path")
    func badReferences() throws {
        let bench = try Self.sentOrder()
        #expect(throws: FlowRejection(field: "$.line_changes[0].line_number", reason: "the order has no such line")) {
            try bench.handle(Self.change("chg-1", [LineQuantityChange(lineNumber: 9, sku: "MUG", quantity: Quantity(1))], totals: 100), key: "WEB-1")
        }
        #expect(throws: FlowRejection(field: "$.line_changes[0].sku", reason: "the SKU is not the one of that order line")) {
            try bench.handle(Self.change("chg-2", [LineQuantityChange(lineNumber: 1, sku: "BOOK", quantity: Quantity(1))], totals: 100), key: "WEB-1")
        }
        #expect(throws: FlowRejection(field: "$.lines[1].line_number", reason: "the order has no such line")) {
            try bench.handle(Self.cancellation("can-1", lines: [OrderLineQuantity(lineNumber: 1, sku: "MUG", quantity: Quantity(1)),
                                                                 OrderLineQuantity(lineNumber: 3, sku: "MUG", quantity: Quantity(1))]), key: "WEB-1")
        }
        let request = ReturnRequest(returnNumber: "RMA-1", orderNumber: "WEB-1", requestedAt: Shop.at(minutes: 2000),
                                    lines: [ReturnLine(lineNumber: 2, sku: "MUG", quantity: Quantity(1), reason: .damaged)], refundMethod: .storeCredit)
        #expect(throws: FlowRejection(field: "$.lines[0].sku", reason: "the SKU is not the one of that order line")) {
            try bench.handle(request, key: "WEB-1")
        }
        #expect(throws: FlowRejection(field: "$.line_changes", reason: "a change may not remove every line: cancel the order instead")) {
            try bench.handle(Self.change("chg-3", [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: .zero),
                                                   LineQuantityChange(lineNumber: 2, sku: "BOOK", quantity: .zero)], totals: 0), key: "WEB-1")
        }
    }

    @Test("a change to an order waiting for payment is taken in before it goes")
    func changeBeforeRelease() throws {
        let bench = OrderBench()
        try bench.place(Shop.order("WEB-1", lines: Self.lines, payment: .bankTransfer, paymentStatus: .pending))
        #expect(try bench.handle(Self.change("chg-1", [LineQuantityChange(lineNumber: 2, sku: "BOOK", quantity: Quantity(0))], totals: 2097), key: "WEB-1").isEmpty)
        let payment = SitePayment(paymentID: "pay-1", orderNumber: "WEB-1", kind: .capture, method: .bankTransfer, amount: Shop.money(4890),
                                  providerReference: "BANK-1", occurredAt: Shop.at(minutes: 1100))
        let salesOrder = try #require(try bench.handle(payment, key: "WEB-1").messages(ERPSalesOrder.self).first)
        #expect(salesOrder.revision == 1)
        #expect(salesOrder.lines.map(\.sku) == ["MUG"])
        #expect(salesOrder.totals.totalInclTax == Shop.money(2097))
    }

    @Test("a cancellation reaches the ERP before preparation, is refused in preparation, and is a return after shipment", arguments: [
        StatusCase(status: nil, passedOn: true), StatusCase(status: .validated, passedOn: true), StatusCase(status: .inPreparation, passedOn: false),
    ])
    func cancellation(_ row: StatusCase) throws {
        let bench = try Self.sentOrder(status: row.status)
        let outputs = try bench.handle(Self.cancellation("can-1"), key: "WEB-1")
        if row.passedOn {
            let cancellation = try #require(outputs.messages(ERPSalesOrderCancellation.self).first)
            #expect(cancellation.externalReference == "WEB-1")
            #expect(cancellation.lines.isEmpty)
            #expect(outputs.count == 1)
        } else {
            let refusal = try #require(outputs.messages(BusinessException.self).first)
            #expect(refusal.reason == "request can-1 refused: the order is in preparation in the ERP")
            #expect(outputs.to(Topics.erpSalesOrders).isEmpty)
        }
        #expect(try bench.handle(Self.cancellation("can-1"), key: "WEB-1").isEmpty, "answered once")
    }

    @Test("after a partial shipment, the part never shipped is cancelled in the ERP and what was shipped becomes a return", arguments: [
        ("cancel everything", [OrderLineQuantity](), ["1:3", "2:4"], ["2:3"]),
        ("cancel the unshipped rest only", [OrderLineQuantity(lineNumber: 2, sku: "BOOK", quantity: Quantity(3))], [], ["2:3"]),
        ("cancel a shipped line", [OrderLineQuantity(lineNumber: 1, sku: "MUG", quantity: Quantity(3))], ["1:3"], []),
    ])
    func cancelRestAfterPartialShipment(_ name: String, _ lines: [OrderLineQuantity], _ returned: [String], _ cancelled: [String]) throws {
        let bench = try Self.sentOrder(status: .partiallyShipped, shipped: [(1, "MUG", "3"), (2, "BOOK", "4")])
        let outputs = try bench.handle(Self.cancellation("can-1", lines: lines), key: "WEB-1")
        #expect(outputs.messages(ERPReturnRequest.self).flatMap(\.lines).map { "\($0.lineNumber):\($0.quantity)" } == returned, "\(name)")
        #expect(outputs.messages(ERPSalesOrderCancellation.self).flatMap(\.lines).map { "\($0.lineNumber):\($0.quantity)" } == cancelled)
        #expect(outputs.messages(BusinessException.self).isEmpty, "nothing refused")
        #expect(outputs.messages(ERPSalesOrderCancellation.self).allSatisfy { $0.validate().isEmpty })
        // A second request for the rest: nothing left to cancel.
        let again = try bench.handle(Self.cancellation("can-2", lines: lines), key: "WEB-1")
        #expect(again.messages(ERPSalesOrderCancellation.self).isEmpty)
    }

    @Test("after full shipment a cancellation becomes a return of what was shipped; a part the ERP says is not shipped is refused")
    func cancellationAfterShipment() throws {
        let bench = try Self.sentOrder(status: .shipped, shipped: [(1, "MUG", "3"), (2, "BOOK", "4")])
        let outputs = try bench.handle(Self.cancellation("can-1"), key: "WEB-1")
        let request = try #require(outputs.messages(ERPReturnRequest.self).first)
        #expect(request.lines.map { "\($0.lineNumber):\($0.quantity)" } == ["1:3", "2:4"])
        #expect(request.refundMethod == .originalPayment)
        #expect(request.soldTo == "C000001")
        #expect(request.returnNumber.rawValue.hasPrefix("RC-"))
        #expect(request.returnNumber.rawValue.count == 32)
        #expect(outputs.messages(BusinessException.self).first?.reason.contains("line 2: 3 not shipped yet") == true)
    }

    struct ReturnCase: Sendable, CustomTestStringConvertible {
        let asked: [(Int, String, String)]
        let passedOn: Bool
        var testDescription: String { "\(asked.map { "line \($0.0) × \($0.2)" }.joined(separator: ", ")) of 3 mugs and 4 books shipped → \(passedOn ? "return request" : "refused")" }
    }

    @Test("a return names lines and quantities no greater than shipped", arguments: [
        ReturnCase(asked: [(1, "MUG", "3")], passedOn: true),
        ReturnCase(asked: [(1, "MUG", "1"), (2, "BOOK", "4")], passedOn: true),
        ReturnCase(asked: [(2, "BOOK", "5")], passedOn: false),
    ])
    func returns(_ row: ReturnCase) throws {
        let bench = try Self.sentOrder(status: .shipped, shipped: [(1, "MUG", "3"), (2, "BOOK", "4")])
        let request = ReturnRequest(returnNumber: "RMA-1", orderNumber: "WEB-1", requestedAt: Shop.at(minutes: 2000),
                                    lines: row.asked.map { ReturnLine(lineNumber: $0.0, sku: SKU($0.1), quantity: Shop.quantity($0.2), reason: .damaged) },
                                    refundMethod: .storeCredit)
        let outputs = try bench.handle(request, key: "WEB-1")
        #expect(outputs.messages(ERPReturnRequest.self).map(\.refundMethod) == (row.passedOn ? [.storeCredit] : []))
        #expect(outputs.messages(BusinessException.self).isEmpty == row.passedOn)
        #expect(try bench.handle(request, key: "WEB-1").isEmpty, "answered once")
    }

    @Test("what was returned cannot be returned again")
    func returnedOnce() throws {
        let bench = try Self.sentOrder(status: .delivered, shipped: [(1, "MUG", "3")])
        let first = ReturnRequest(returnNumber: "RMA-1", orderNumber: "WEB-1", requestedAt: Shop.at(minutes: 2000),
                                  lines: [ReturnLine(lineNumber: 1, sku: "MUG", quantity: Quantity(2), reason: .damaged)], refundMethod: .originalPayment)
        #expect(try bench.handle(first, key: "WEB-1").messages(ERPReturnRequest.self).count == 1)
        var second = first
        second.returnNumber = "RMA-2"
        #expect(try bench.handle(second, key: "WEB-1").messages(ERPReturnRequest.self).isEmpty, "2 of 3 already returned")
    }

    @Test("with retention for ever, a request about an order never placed is refused; a status about one sends nothing and is kept a day (its order may come after it in a replay across topics)")
    func unknownOrder() throws {
        var rules = OrderIngestRules.defaults
        rules.retention = .forever
        let bench = OrderBench(rules)
        #expect(throws: FlowRejection(field: "$.order_number", reason: "no order with this number was placed")) {
            try bench.handle(Self.cancellation("can-1"), key: "WEB-1")
        }
        let status = ERPOrderStatus(orderNumber: "WEB-1", erpOrderReference: "SO-1", status: .validated, sequence: 1, statusAt: Shop.at(minutes: 1),
                                    shipments: [], problems: [], documents: [])
        #expect(try bench.handle(status, key: "WEB-1").isEmpty)
        let kept = try #require(bench.record("WEB-1"))
        #expect(kept.knowsOnlyTheERPStatus && kept.placed == nil && kept.statusSequence == 1)
        let last = try #require(kept.lastEventAt)
        #expect(kept.expiry(rules.retention) == last.adding(days: OrderRecord.statusOnlyKeptDays), "forgotten a day after, not kept for ever")
    }

    @Test("an older ERP status changes nothing")
    func olderStatus() throws {
        let bench = try Self.sentOrder(status: .inPreparation)
        let older = ERPOrderStatus(orderNumber: "WEB-1", erpOrderReference: "SO-1", status: .validated, sequence: 2, statusAt: Shop.at(minutes: 800),
                                   shipments: [], problems: [], documents: [])
        try bench.handle(older, key: "WEB-1")
        #expect(bench.record("WEB-1")?.erpStatus == .inPreparation)
    }

    @Test("while finished orders are forgotten, a request about an order not held is a forgotten_order exception, never a dead letter nor an ERP request", arguments: [
        ("a cancellation", CancellationRequest(requestID: "can-1", orderNumber: "WEB-1", requestedAt: Shop.at(minutes: 1000), requestedBy: .customer,
                                               reason: .customerRequest, lines: []) as any BusMessage, "can-1"),
        ("a return", ReturnRequest(returnNumber: "RMA-1", orderNumber: "WEB-1", requestedAt: Shop.at(minutes: 2000),
                                   lines: [ReturnLine(lineNumber: 1, sku: "MUG", quantity: Quantity(1), reason: .damaged)], refundMethod: .originalPayment) as any BusMessage, "RMA-1"),
    ])
    func forgottenOrder(_ name: String, _ request: any BusMessage, _ id: String) throws {
        let bench = OrderBench()
        let outputs = try bench.handle(request, key: "WEB-1")
        #expect(outputs.map(\.topic) == [Topics.exceptions], "\(name)")
        let exception = try #require(outputs.messages(BusinessException.self).first)
        #expect(exception.details["reason_code"] == "forgotten_order")
        #expect(exception.details["request_id"] == id)
        #expect(exception.entity == EntityReference(kind: .order, key: "WEB-1"))
        #expect(exception.validate().isEmpty)
        #expect(bench.store.count == 0, "nothing is kept for it")
    }

    @Test("a partial cancellation is recorded: the next revision does not bring the cancelled quantities back", arguments: [
        ("line 2 cancelled whole", [OrderLineQuantity(lineNumber: 2, sku: "BOOK", quantity: Quantity(7))], ["MUG:2"]),
        ("3 of line 2 cancelled", [OrderLineQuantity(lineNumber: 2, sku: "BOOK", quantity: Quantity(3))], ["MUG:2", "BOOK:4"]),
    ])
    func partialCancellationThenChange(_ name: String, _ cancelled: [OrderLineQuantity], _ revised: [String]) throws {
        let bench = try Self.sentOrder(status: .validated)
        let cancellation = try bench.handle(Self.cancellation("can-1", lines: cancelled), key: "WEB-1")
        #expect(cancellation.messages(ERPSalesOrderCancellation.self).map(\.lines) == [cancelled], "\(name)")
        let outputs = try bench.handle(Self.change("chg-1", [LineQuantityChange(lineNumber: 1, sku: "MUG", quantity: Quantity(2))]), key: "WEB-1")
        let revision = try #require(outputs.messages(ERPSalesOrder.self).first)
        #expect(revision.revision == 2)
        #expect(revision.lines.map { "\($0.sku):\($0.quantity)" } == revised)
        #expect(revision.validate().isEmpty)
    }
}
