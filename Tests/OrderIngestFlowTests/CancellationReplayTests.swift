import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import Testing

/// A crashed worker's successor replays the uncommitted inputs of `shop.orders`,
/// `shop.payments` and `erp.order-status`, which share a partition number, in whatever order
/// its fetches bring them, over a state restored from a changelog that may be behind the
/// outputs already delivered. A cancellation request must reach the ERP once whatever that
/// order: the same request always under the same `ce_id` (readers drop the repeat), and a
/// request for an order whose cancellation was already sent or confirmed sends nothing.
@Suite("order-ingest: cancellations replayed across topics in any order")
struct CancellationReplayTests {
    /// 3 mugs (20.97) and 7 books (27.93): 48.90.
    static let lines = [Shop.line(1, "MUG", "3", 699, "20"), Shop.line(2, "BOOK", "7", 399, "5.5")]

    /// One order's inputs, per topic, each list in the order its topic partition holds it.
    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        var orders: [any BusMessage & Sendable]
        var payments: [SitePayment] = []
        var statuses: [ERPOrderStatus] = []
        /// The most cancellations the ERP may receive (distinct `ce_id`s), whatever the order.
        var atMost: Int
        var testDescription: String { name }

        /// The inputs as the runtime hands them over: each with its own, fixed envelope id.
        var streams: [[FlowInput]] {
            [orders.enumerated().map { input($1, topic: Topics.shopOrders, n: $0) },
             payments.enumerated().map { input($1, topic: Topics.shopPayments, n: $0) },
             statuses.enumerated().map { input($1, topic: Topics.erpOrderStatus, n: $0) }]
        }

        private func input(_ message: any BusMessage, topic: String, n: Int) -> FlowInput {
            let time: Instant = switch message {
            case let order as SiteOrder: order.placedAt
            case let request as CancellationRequest: request.requestedAt
            case let payment as SitePayment: payment.occurredAt
            case let status as ERPOrderStatus: status.statusAt
            default: Shop.at(minutes: 600)
            }
            let envelope = Envelope(id: "\(topic)-\(n)", source: "test/\(topic)", type: Swift.type(of: message).messageType, time: time)
            return FlowInput(envelope: envelope, message: message, key: "WEB-1", topic: topic)
        }
    }

    static func cancellation(_ id: String, minute: Int, lines: [OrderLineQuantity] = []) -> CancellationRequest {
        CancellationRequest(requestID: EventID(id), orderNumber: "WEB-1", requestedAt: Shop.at(minutes: minute), requestedBy: .customer,
                            reason: .customerRequest, lines: lines)
    }

    static func status(_ status: OrderStatus, sequence: Int, minute: Int, shipped: [(Int, String, String)] = []) -> ERPOrderStatus {
        let shipment = Shipment(shipmentID: "SHP-1", carrier: "colissimo", shippedAt: Shop.at(minutes: minute),
                                lines: shipped.map { OrderLineQuantity(lineNumber: $0.0, sku: SKU($0.1), quantity: Shop.quantity($0.2)) })
        return ERPOrderStatus(orderNumber: "WEB-1", erpOrderReference: "SO-1", status: status, sequence: sequence, statusAt: Shop.at(minutes: minute),
                              shipments: shipped.isEmpty ? [] : [shipment], problems: [], documents: [])
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "paid by transfer, cancelled twice by the customer before the ERP confirms: one cancellation",
                 orders: [Shop.order("WEB-1", lines: lines, payment: .bankTransfer, paymentStatus: .pending),
                          cancellation("can-1", minute: 1000), cancellation("can-2", minute: 1001)],
                 payments: [SitePayment(paymentID: "pay-1", orderNumber: "WEB-1", kind: .capture, method: .bankTransfer, amount: Shop.money(4890),
                                        providerReference: "PSP-1", occurredAt: Shop.at(minutes: 700))],
                 statuses: [status(.validated, sequence: 1, minute: 800), status(.cancelled, sequence: 2, minute: 1100)],
                 atMost: 1),
        Scenario(name: "a mug cancelled, then the whole order: two cancellations",
                 orders: [Shop.order("WEB-1", lines: lines), cancellation("can-1", minute: 1000, lines: [OrderLineQuantity(lineNumber: 1, sku: "MUG", quantity: Quantity(1))]),
                          cancellation("can-2", minute: 1001)],
                 statuses: [status(.validated, sequence: 1, minute: 800)],
                 atMost: 2),
        Scenario(name: "cancelled after two mugs were shipped: one cancellation (of what was not shipped, or all)",
                 orders: [Shop.order("WEB-1", lines: lines), cancellation("can-1", minute: 1000)],
                 statuses: [status(.partiallyShipped, sequence: 1, minute: 900, shipped: [(1, "MUG", "2")])],
                 atMost: 1),
    ]

    /// Every merge of the streams that keeps each stream's order.
    static func interleavings(_ streams: [[FlowInput]]) -> [[FlowInput]] { BusTestKit.interleavings(streams) }

    typealias Written = FlowTimeline<OrderIngest>.Written

    static func run(_ inputs: [FlowInput], from timeline: FlowTimeline<OrderIngest> = FlowTimeline(flow: OrderIngest(rules: .defaults))) throws -> FlowTimeline<OrderIngest> {
        var timeline = timeline
        for input in inputs { try timeline.feed(input, tables: Shop.tables) }
        return timeline
    }

    /// The cancellations the ERP reads, once deduplicated by `ce_id`: id to request id.
    static func cancellations(_ outputs: [Written]) -> [String: String] {
        var requests: [String: String] = [:]
        for output in outputs where output.topic == Topics.erpSalesOrders {
            guard let id = output.id, let value = output.value,
                  let cancellation = try? Shop.codec.decode(ERPSalesOrderCancellation.self, from: value) else { continue }
            requests[id] = cancellation.requestID.rawValue
        }
        return requests
    }

    /// What the ERP would do twice: more cancellations than the scenario allows, or one
    /// request's cancellation under two ids.
    static func problems(_ outputs: [Written], atMost: Int) -> [String] {
        let received = cancellations(outputs)
        var problems: [String] = []
        if received.count > atMost { problems.append("\(received.count) cancellations reach the ERP, at most \(atMost) expected") }
        let idsPerRequest = Dictionary(grouping: received.keys, by: { received[$0] ?? "" })
        for (request, ids) in idsPerRequest.sorted(by: { $0.key < $1.key }) where ids.count > 1 {
            problems.append("request \(request) reaches the ERP under \(ids.count) ids")
        }
        return problems
    }

    @Test("every interleaving of the three topics: each request cancels once, an order already cancelled is not cancelled again",
          arguments: scenarios)
    func everyInterleaving(_ scenario: Scenario) throws {
        let orders = Self.interleavings(scenario.streams)
        var union: [Written] = []
        for order in orders {
            let outputs = try Self.run(order).outputs
            union += outputs
            let problems = Self.problems(outputs, atMost: scenario.atMost)
            #expect(problems == [], "\(order.map(\.envelope.id)): \(problems)")
        }
        #expect(!Self.cancellations(union).isEmpty, "some interleaving cancels in the ERP")
        let ids = Dictionary(grouping: Self.cancellations(union).keys, by: { Self.cancellations(union)[$0] ?? "" })
        #expect(ids.values.allSatisfy { $0.count == 1 }, "one id per request over every interleaving: \(ids)")
        print("cancellation replay: \(scenario.name): \(orders.count) interleavings")
    }

    @Test("a crash after any input, the changelog of what followed lost, and a replay in any order: no cancellation twice",
          arguments: scenarios)
    func crashAndReplayInAnotherOrder(_ scenario: Scenario) throws {
        let replays = try scenario.crashAndReplayInAnyOrder(seed: 23) { Self.problems($0, atMost: scenario.atMost) }
        print("cancellation replay: \(scenario.name): \(replays) crashes and replays checked")
    }
}
