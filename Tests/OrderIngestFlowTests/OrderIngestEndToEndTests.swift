import BusKafka
import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import Testing

/// order-ingest on the embedded cluster, every input published by a plain producer as the
/// site, the ERP and the other workers would.
@Suite("order-ingest: end to end", .serialized)
struct OrderIngestEndToEndTests {
    static let outputs = [Topics.erpSalesOrders, Topics.orderAcceptance, Topics.stockClaims]

    /// The latest message of type `M` per key among `records`, in offset order.
    static func decoded<M: BusMessage>(_ type: M.Type, _ records: [ConsumedRecord]) -> [(key: String, message: M)] {
        records.compactMap { record in
            guard record.headers.string("ce_type") == M.messageType, let key = record.keyString, let value = record.value,
                  let message = try? Shop.codec.decode(M.self, from: value) else { return nil }
            return (key, message)
        }
    }

    @Test("1,000 orders: exactly the valid ones reach the ERP, once each, at the site's totals; the others are held with reasons")
    func thousandOrders() throws {
        let traffic = OrderTraffic(count: 1_000, accounts: 40, seed: 42)
        let flow = OrderIngest()
        let harness = try FlowHarness(flow: flow, topics: Self.outputs)
        try harness.publish(OrderTraffic.tableRecords(accounts: 40))
        try harness.publish(traffic.placements)
        let worker = harness.start(flow)

        let sent = Set(traffic.orders(.sent).map(\.orderNumber.rawValue))
        let paidOnTime = sent.subtracting(traffic.unpaid.map(\.rawValue))
        var erpKeys = Set<String>()
        var seen = 0
        _ = try harness.read(Topics.erpSalesOrders) { records in
            for record in records[seen...] { if let key = record.keyString { erpKeys.insert(key) } }
            seen = records.count
            return erpKeys.count >= paidOnTime.count
        }
        #expect(erpKeys == paidOnTime, "before their payment arrives, orders paid by bank transfer wait")

        try harness.publish(traffic.payments)
        let erpRecords = try harness.read(Topics.erpSalesOrders) { $0.count >= sent.count }
        let tracking = try harness.read(Topics.orderAcceptance) { $0.count >= sent.count + traffic.unpaid.count + traffic.orders.count { if case .held = traffic.fates[$0.orderNumber] { true } else { false } } }
        let exceptions = try harness.readAll(Topics.exceptions)
        let letters = try harness.readAll(flow.deadLetterTopic)
        #expect(waitUntil(timeout: .seconds(20)) { (try? harness.committed()) == (try? harness.inputEnds()) }, "every input committed")
        worker.stopCleanly()

        let salesOrders = Self.decoded(ERPSalesOrder.self, erpRecords)
        #expect(salesOrders.count == erpRecords.count && erpRecords.count == sent.count, "one ERP order per valid site order, nothing else")
        #expect(Set(salesOrders.map(\.key)) == sent)
        let byNumber = Dictionary(uniqueKeysWithValues: traffic.orders.map { ($0.orderNumber.rawValue, $0) })
        for (key, salesOrder) in salesOrders {
            let site = try #require(byNumber[key])
            #expect(salesOrder.totals.totalInclTax == site.totals.totalInclTax, "\(key): the ERP total is the site's")
            #expect(salesOrder.validate().isEmpty)
            #expect(salesOrder.revision == 1)
            if traffic.guests.contains(site.orderNumber) { #expect(salesOrder.soldTo == "WEB-GUEST") }
            if traffic.relayPoints.contains(site.orderNumber) { #expect(salesOrder.shipTo.relayPointID == site.relayPointID) }
        }

        let acceptances = Dictionary(Self.decoded(OrderAcceptance.self, tracking).map { ($0.key, $0.message) }, uniquingKeysWith: { $1 })
        for order in traffic.orders {
            switch traffic.fates[order.orderNumber] {
            case .held(let code)?:
                let acceptance = acceptances[order.orderNumber.rawValue]
                #expect(acceptance?.status == .held, "\(order.orderNumber) held")
                #expect(acceptance?.reasons.contains { $0.code == code } == true, "\(order.orderNumber) held for \(code)")
            case .sent?: #expect(acceptances[order.orderNumber.rawValue]?.status == .accepted)
            default: #expect(acceptances[order.orderNumber.rawValue] == nil)
            }
        }
        let raised = Self.decoded(BusinessException.self, exceptions)
        let heldNumbers = Set(traffic.orders.filter { if case .held = traffic.fates[$0.orderNumber] { true } else { false } }.map(\.orderNumber.rawValue))
        #expect(Set(raised.filter { $0.message.kind != .other || $0.message.reason.contains("incomplete") }.map(\.key)) == heldNumbers, "each held order has its exceptions")
        #expect(Set(raised.filter { $0.message.reason.contains("different content") }.map(\.key)) == Set(traffic.conflicting.map(\.rawValue)))
        #expect(letters.count == traffic.orders(.deadLettered).count, "orders whose totals do not add up are dead-lettered")
        #expect(Set(letters.compactMap(\.keyString)) == Set(traffic.orders(.deadLettered).map(\.orderNumber.rawValue)))
        print("order-ingest 1,000 orders: \(salesOrders.count) ERP orders (\(traffic.guests.count) guests, \(traffic.relayPoints.count) relay points, \(traffic.unpaid.count) paid later), \(heldNumbers.count) held, \(raised.count) exceptions, \(letters.count) dead letters, \(traffic.placements.count + traffic.payments.count) inputs")
    }

    @Test("cancellation before and after preparation, a cancellation after shipment, a return after shipment")
    func lifecycle() throws {
        let flow = OrderIngest()
        let harness = try FlowHarness(flow: flow, topics: Self.outputs)
        try harness.publish(OrderTraffic.tableRecords(accounts: 4))
        let lines = [Shop.line(1, "MUG", "3", 699, "20"), Shop.line(2, "BOOK", "7", 399, "5.5")]
        let numbers = ["WEB-A", "WEB-B", "WEB-C", "WEB-D"]
        try harness.publish(numbers.enumerated().map { i, number in
            Shop.record(Shop.order(number, lines: lines, account: "acc-\(i)"), topic: Topics.shopOrders, key: number, id: "order-\(number)", time: Shop.at(minutes: 600))
        })
        let worker = harness.start(flow)
        _ = try harness.read(Topics.erpSalesOrders) { $0.count >= 4 }

        func status(_ number: String, _ status: OrderStatus, shipped: [OrderLineQuantity] = []) -> ProducerRecord {
            let shipments = shipped.isEmpty ? [] : [Shipment(shipmentID: EventID("SHP-\(number)"), carrier: "colissimo", shippedAt: Shop.at(minutes: 900), lines: shipped)]
            return Shop.record(ERPOrderStatus(orderNumber: OrderNumber(number), erpOrderReference: Code("SO-\(number)"), status: status, sequence: 3,
                                              statusAt: Shop.at(minutes: 900), shipments: shipments, problems: [], documents: []),
                               topic: Topics.erpOrderStatus, key: number, id: "status-\(number)", time: Shop.at(minutes: 900))
        }
        let shippedAll = [OrderLineQuantity(lineNumber: 1, sku: "MUG", quantity: Quantity(3)), OrderLineQuantity(lineNumber: 2, sku: "BOOK", quantity: Quantity(7))]
        try harness.publish([status("WEB-A", .validated), status("WEB-B", .inPreparation), status("WEB-C", .shipped, shipped: shippedAll),
                             status("WEB-D", .delivered, shipped: shippedAll)])
        #expect(waitUntil(timeout: .seconds(20)) { worker.consumed >= 8 }, "statuses read before the requests")

        func cancel(_ number: String) -> ProducerRecord {
            Shop.record(CancellationRequest(requestID: EventID("cancel-\(number)"), orderNumber: OrderNumber(number), requestedAt: Shop.at(minutes: 1000),
                                            requestedBy: .customer, reason: .customerRequest, lines: []),
                        topic: Topics.shopOrders, key: number, id: "cancel-\(number)", time: Shop.at(minutes: 1000))
        }
        let giveBack = ReturnRequest(returnNumber: "RMA-D1", orderNumber: "WEB-D", requestedAt: Shop.at(minutes: 1100),
                                     lines: [ReturnLine(lineNumber: 2, sku: "BOOK", quantity: Quantity(2), reason: .damaged)], refundMethod: .storeCredit)
        var tooMuch = giveBack
        tooMuch.returnNumber = "RMA-D2"
        tooMuch.lines = [ReturnLine(lineNumber: 1, sku: "MUG", quantity: Quantity(4), reason: .noLongerNeeded)]
        try harness.publish(["WEB-A", "WEB-B", "WEB-C"].map(cancel) + [
            Shop.record(giveBack, topic: Topics.shopOrders, key: "WEB-D", id: "return-1", time: Shop.at(minutes: 1100)),
            Shop.record(tooMuch, topic: Topics.shopOrders, key: "WEB-D", id: "return-2", time: Shop.at(minutes: 1100)),
        ])
        let erp = try harness.read(Topics.erpSalesOrders) { $0.count >= 7 }
        let exceptions = try harness.read(Topics.exceptions) { $0.count >= 2 }
        worker.stopCleanly()

        #expect(Self.decoded(ERPSalesOrderCancellation.self, erp).map(\.key) == ["WEB-A"], "cancelled in the ERP before preparation")
        let returns = Self.decoded(ERPReturnRequest.self, erp)
        #expect(returns.map(\.key).sorted() == ["WEB-C", "WEB-D"])
        #expect(returns.first { $0.key == "WEB-C" }?.message.lines.map(\.quantity) == [Quantity(3), Quantity(7)], "after shipment, a cancellation returns everything shipped")
        #expect(returns.first { $0.key == "WEB-D" }?.message.returnNumber == "RMA-D1")
        #expect(returns.first { $0.key == "WEB-D" }?.message.refundMethod == .storeCredit)
        let refusals = Self.decoded(BusinessException.self, exceptions)
        #expect(refusals.map(\.key).sorted() == ["WEB-B", "WEB-D"], "in preparation: refused; more than shipped: refused")
        // The worker's scrape counts them by kind, as an outside reader finds them on the topic.
        for (kind, found) in Dictionary(grouping: refusals, by: { $0.message.kind.rawValue }) {
            #expect(metricSum(worker.worker.metricsRegistry, "bus_business_exceptions_total{kind=\"\(kind)\"}") == Double(found.count), "\(kind)")
        }
        #expect(erp.count == 7)
    }

    @Test("kill and restart: a crashed worker's successor leaves exactly the outputs of an uninterrupted run")
    func killAndRestart() throws {
        let traffic = OrderTraffic(count: 300, accounts: 20, seed: 7)
        var inputs = traffic.placements
        // Requests that depend on nothing read from another topic, so both runs must agree
        // output for output: changes and cancellations before any ERP status, returns of
        // orders never shipped.
        for (i, order) in traffic.orders(.sent).prefix(60).enumerated() {
            let number = order.orderNumber
            let time = Shop.at(minutes: 2000 + i)
            switch i % 3 {
            case 0:
                inputs.append(Shop.record(CancellationRequest(requestID: EventID("cancel-\(i)"), orderNumber: number, requestedAt: time, requestedBy: .customer,
                                                              reason: .customerRequest, lines: []),
                                          topic: Topics.shopOrders, key: number.rawValue, id: "cancel-\(i)", time: time))
            case 1:
                let change = OrderChange(changeID: EventID("change-\(i)"), orderNumber: number, changedAt: time,
                                         deliveryAddress: PostalAddress(recipientName: "New Recipient", lines: ["2 rue Neuve"], postalCode: "33000", city: "Bordeaux", country: Shop.france),
                                         lineChanges: [])
                inputs.append(Shop.record(change, topic: Topics.shopOrders, key: number.rawValue, id: "change-\(i)", time: time))
            default:
                let request = ReturnRequest(returnNumber: ReturnNumber("RMA-\(i)"), orderNumber: number, requestedAt: time,
                                            lines: [ReturnLine(lineNumber: 1, sku: order.lines[0].sku, quantity: Quantity(1), reason: .damaged)], refundMethod: .originalPayment)
                inputs.append(Shop.record(request, topic: Topics.shopOrders, key: number.rawValue, id: "return-\(i)", time: time))
            }
        }
        let expected = try Self.expectedOutputs(inputs)
        let outcome = try KillAndRestart.run(
            flow: OrderIngest(), topics: [], inputs: OrderTraffic.tableRecords(accounts: 20) + inputs,
            outputs: Self.outputs + [Topics.exceptions], crashAfter: 150
        ) { $0.byID.count >= expected }
        #expect(outcome.reference.byID.count == expected)
        #expect(outcome.crashed.conflicting.isEmpty, "one id never carries two values")
        #expect(outcome.crashed.byID == outcome.reference.byID, "the same outputs, byte for byte, after removing duplicates by id")
        print("order-ingest kill and restart: \(inputs.count) inputs, \(expected) outputs; crashed run read \(outcome.crashed.total) records for them (duplicates included)")
    }

    /// How many outputs the inputs give, handled in order in memory (per order, the order of
    /// its inputs is all that matters, and here every input is on `shop.orders`, or a payment
    /// that changes nothing but the state).
    static func expectedOutputs(_ records: [ProducerRecord]) throws -> Int {
        let bench = OrderBench(tables: StaticTables([
            Topics.shopCatalog: Dictionary(uniqueKeysWithValues: Shop.catalogue.map { ($0.sku.rawValue, $0 as any BusMessage) }),
            Topics.customerIdentity: Dictionary(uniqueKeysWithValues: (0..<20).map { ("acc-\($0)", Shop.link("acc-\($0)", "C\(String(format: "%06d", 100 + $0))") as any BusMessage) }),
        ]))
        var count = 0
        for record in records {
            guard let value = record.value, let key = record.key.map({ String(decoding: $0, as: UTF8.self) }),
                  let type = record.headers.first(where: { $0.key == "ce_type" })?.stringValue,
                  let message = try? MessageRegistry.standard.decode(messageType: type, version: 1, from: value) else { continue }
            let id = record.headers.first { $0.key == "ce_id" }?.stringValue ?? ""
            let time = record.headers.first { $0.key == "ce_time" }?.stringValue.flatMap(Instant.init) ?? Shop.at(minutes: 0)
            count += try bench.handle(OrderBench.input(message, key: key, id: id, at: time)).count
        }
        return count
    }
}
