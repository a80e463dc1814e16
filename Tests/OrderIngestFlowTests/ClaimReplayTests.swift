import BusRuntime
import BusSchema
import BusTestKit
import Foundation
import OrderIngestFlow
import Testing

/// The claims an order sent to the ERP holds on `bus.stock-claims` until the ERP's first
/// status (stock-broadcaster subtracts the open ones from the availability it answers), when
/// a crashed order-ingest's successor replays `shop.orders` and `erp.order-status` in either
/// order over a changelog that lost the order (its sales order and claims were delivered):
/// whatever the order, no claim is left open once the ERP has the order. Found by `bus chaos`
/// (stock query: claims of orders the ERP had reserved still counted in flight at closing):
/// the successor read the ERP's statuses first, dropped them as about an order it did not
/// hold, then read the order again and claimed its stock for good.
@Suite("order-ingest: stock claims replayed across topics in any order")
struct ClaimReplayTests {
    static let lines = [Shop.line(1, "MUG", "3", 699, "20"), Shop.line(2, "BOOK", "7", 399, "5.5")]

    static func input(_ message: any BusMessage, topic: String, n: Int, at time: Instant) -> FlowInput {
        let envelope = Envelope(id: "\(topic)-\(n)", source: "test/\(topic)", type: Swift.type(of: message).messageType, time: time)
        return FlowInput(envelope: envelope, message: message, key: "WEB-1", topic: topic)
    }

    static func status(_ status: OrderStatus, sequence: Int, minute: Int) -> ERPOrderStatus {
        ERPOrderStatus(orderNumber: "WEB-1", erpOrderReference: "SO-1", status: status, sequence: sequence, statusAt: Shop.at(minutes: minute),
                       shipments: [], problems: [], documents: [])
    }

    /// The order on `shop.orders`; the ERP's statuses on `erp.order-status`.
    static let streams: [[FlowInput]] = [
        [input(Shop.order("WEB-1", lines: lines), topic: Topics.shopOrders, n: 0, at: Shop.at(minutes: 600))],
        [input(status(.validated, sequence: 1, minute: 610), topic: Topics.erpOrderStatus, n: 0, at: Shop.at(minutes: 610)),
         input(status(.inPreparation, sequence: 2, minute: 620), topic: Topics.erpOrderStatus, n: 1, at: Shop.at(minutes: 620))],
    ]

    static func run(_ inputs: [FlowInput], from timeline: FlowTimeline<OrderIngest> = FlowTimeline(flow: OrderIngest(rules: .defaults))) throws -> FlowTimeline<OrderIngest> {
        var timeline = timeline
        for input in inputs { try timeline.feed(input, tables: Shop.tables) }
        return timeline
    }

    /// What stock-broadcaster holds after reading `outputs` in order: per SKU, the orders'
    /// open claims (a zero releases one); and how many claims were made.
    static func openClaims(_ outputs: [FlowTimeline<OrderIngest>.Written]) -> (open: [String: [String: String]], made: Int) {
        var open: [String: [String: String]] = [:]
        var made = 0
        for output in outputs where output.topic == Topics.stockClaims {
            guard let value = output.value, let claim = try? Shop.codec.decode(StockClaim.self, from: value) else { continue }
            if claim.quantity.value.isZero {
                open[claim.sku.rawValue]?[claim.orderNumber.rawValue] = nil
            } else {
                made += 1
                open[claim.sku.rawValue, default: [:]][claim.orderNumber.rawValue] = claim.quantity.description
            }
        }
        return (open.filter { !$0.value.isEmpty }, made)
    }

    @Test("every interleaving of the order and the ERP's statuses: its claims made and released")
    func everyInterleaving() throws {
        for order in BusTestKit.interleavings(Self.streams) {
            let claims = Self.openClaims(try Self.run(order).outputs)
            #expect(claims.made > 0 && claims.open.isEmpty, "\(order.map(\.envelope.id)): \(claims)")
        }
    }

    @Test("a crash after any input, the changelog of what followed lost, and a replay in any order: no claim left open")
    func crashAndReplayInAnotherOrder() throws {
        let orders = BusTestKit.interleavings(Self.streams)
        var replays = 0
        for first in orders {
            let written = try Self.run(first)
            for crashAt in 0..<first.count {
                // The outputs of every input were delivered before the crash; the changelog of
                // those after `crashAt` was not: the successor restores the state before them.
                let restored = try Self.run(Array(first.prefix(crashAt)))
                for replay in orders {
                    let successor = try FlowTimeline(flow: OrderIngest(rules: .defaults), restoring: restored.changelog)
                    let replayed = try Self.run(replay, from: successor)
                    replays += 1
                    let claims = Self.openClaims(written.outputs + replayed.outputs)
                    #expect(claims.open.isEmpty, "first \(first.map(\.envelope.id)), crash after \(crashAt), replay \(replay.map(\.envelope.id)): open \(claims.open)")
                }
            }
        }
        print("claim replay: \(replays) crashes and replays checked")
    }

    @Test("a status-only record (its order not read yet) is forgotten a day after its last status, whatever the retention")
    func statusOnlyRecordForgotten() throws {
        var rules = OrderIngestRules.defaults
        rules.retention = .forever
        var timeline = FlowTimeline(flow: OrderIngest(rules: rules))
        try timeline.feed(Self.streams[1][0], tables: Shop.tables)
        #expect(timeline.store.count == 1)
        let record = try #require({ if case .order(let record)? = timeline.store["WEB-1"] { record } else { nil } }())
        #expect(record.knowsOnlyTheERPStatus && record.expiry(rules.retention) == Shop.at(minutes: 610).adding(days: 1))
    }
}
